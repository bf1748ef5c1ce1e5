# apt packages the Enforcer tests drive for real (run as root):
#   nftables  - nft, for the network-namespace firewall test
#   iproute2  - ip netns / veth for that test
#   unbound   - unbound + unbound-control, for the resolver test
#   squid     - squid -k parse / a loopback proxy, for the Squid ACL test
#   dnsutils  - dig, handy when a DNS test fails
#   curl      - the client side of the namespace test
#   python3   - the tiny MCP server inside the namespace
apt-get install -y --no-install-recommends nftables iproute2 unbound squid dnsutils curl python3
