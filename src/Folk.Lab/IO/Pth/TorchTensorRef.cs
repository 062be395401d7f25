namespace Folk.Lab.IO.Pth;

/// <summary>What <c>torch._utils._rebuild_tensor_v2</c> would be called with: a view of a storage.</summary>
/// <param name="Storage">The storage viewed; views of one storage share it.</param>
/// <param name="Offset">First element of the view in the storage.</param>
/// <param name="Shape">Sizes (empty for a 0-d tensor).</param>
/// <param name="Strides">Strides in elements.</param>
internal sealed record TorchTensorRef(TorchStorageRef Storage, long Offset, long[] Shape, long[] Strides)
{
    /// <summary>One past the last storage element the view reaches (its offset when it holds no element).</summary>
    public long End()
    {
        if (Shape.Any(s => s == 0)) return Offset;
        long last = Offset;
        for (int i = 0; i < Shape.Length; i++) last = checked(last + (Shape[i] - 1) * Strides[i]);
        return last + 1;
    }
}
