namespace ShadowMcp.Scanner.Analysis;

/// <summary>
/// An analyzer its factory can hand to the next flow. The flow calls <see cref="Recycle"/> once, after a clean
/// <c>OnClose</c>, when nothing will call the analyzer again; an analyzer that faulted is never recycled.
/// </summary>
internal interface IRecyclableAnalyzer
{
    void Recycle();
}
