using ShadowMcp.Classifier.Shape;
using ShadowMcp.Scanner.Shape;

namespace ShadowMcp.Cli.Shape;

/// <summary>The shipped shape model, loaded once and checked against the scanner's feature list.</summary>
internal static class ShapeModels
{
    private static readonly Lazy<ShapeModel> Shipped = new(() =>
    {
        var model = ShapeModel.LoadDefault();
        model.CheckFeatures(ShapeFeatures.Names);
        return model;
    });

    public static ShapeModel Default() => Shipped.Value;
}
