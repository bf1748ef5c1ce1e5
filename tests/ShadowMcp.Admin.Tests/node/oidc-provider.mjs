// A real OpenID Connect provider (panva's oidc-provider) on 127.0.0.1 for the admin UI's sign-in tests.
// Protocol: prints {"issuer": "..."} once listening; then reads one JSON line on stdin
// {"clientId", "clientSecret", "redirectUris": [...]} (the admin's port is known only then), registers that client
// and prints {"ready": true}. The secret comes on stdin, never in the environment or the command line.
// Test people: alice (shadowmcp-analysts), bob (shadowmcp-admins, staff), carol (marketing: mapped to nothing).
// The login form is oidc-provider's own development form; it accepts any password for these names.
import http from 'node:http';
import readline from 'node:readline';
import Provider from 'oidc-provider';

const people = {
  alice: { name: 'Alice Analyst', email: 'alice@corp.example', groups: ['shadowmcp-analysts'] },
  bob: { name: 'Bob Boss', email: 'bob@corp.example', groups: ['shadowmcp-admins', 'staff'] },
  carol: { name: 'Carol Marketing', email: 'carol@corp.example', groups: ['marketing'] },
};

const server = http.createServer((req, res) => { res.statusCode = 503; res.end('not ready'); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
process.stdout.write(JSON.stringify({ issuer }) + '\n');

const lines = readline.createInterface({ input: process.stdin });
const first = await new Promise((resolve) => lines.once('line', resolve));
const setup = JSON.parse(first);

const provider = new Provider(issuer, {
  clients: [{
    client_id: setup.clientId,
    client_secret: setup.clientSecret,
    redirect_uris: setup.redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // ASP.NET Core's handler sends the secret in the token request's form body.
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
    groups: ['groups'],
  },
  cookies: { keys: ['shadowmcp-admin-tests-only'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, preferred_username: id, ...person }) };
  },
});
provider.on('server_error', (ctx, err) => process.stderr.write(`server_error: ${err.stack}\n`));
server.removeAllListeners('request');
server.on('request', provider.callback());
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
// The test closes stdin to stop the provider.
lines.on('close', () => server.close(() => process.exit(0)));
