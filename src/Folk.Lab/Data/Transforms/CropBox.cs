namespace Folk.Lab.Data.Transforms;

/// <summary>A crop rectangle in pixels: rows <c>Top … Top + Height − 1</c>, columns <c>Left … Left + Width − 1</c>.</summary>
/// <param name="Top">First row.</param>
/// <param name="Left">First column.</param>
/// <param name="Height">Rows in the crop.</param>
/// <param name="Width">Columns in the crop.</param>
public readonly record struct CropBox(int Top, int Left, int Height, int Width);
