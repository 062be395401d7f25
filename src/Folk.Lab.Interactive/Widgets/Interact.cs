namespace Folk.Lab.Interactive.Widgets;

/// <summary>
/// ipywidgets' <c>interact</c>: controls above an output area, and a function of their values that runs again whenever
/// one of them changes, its result replacing the area's content. The function runs once at once, so the area is never
/// empty.
/// </summary>
public static class Interact
{
    /// <summary>Shows <paramref name="function"/> of one control's value.</summary>
    public static Box With<T>(Func<T, object?> function, ValueWidget<T> control) =>
        Layout(() => function(control.Value), handler => control.Changed += _ => handler(), control);

    /// <summary>Shows <paramref name="function"/> of two controls' values.</summary>
    public static Box With<T1, T2>(Func<T1, T2, object?> function, ValueWidget<T1> first, ValueWidget<T2> second) =>
        Layout(() => function(first.Value, second.Value), handler =>
        {
            first.Changed += _ => handler();
            second.Changed += _ => handler();
        }, first, second);

    /// <summary>Shows <paramref name="function"/> of three controls' values.</summary>
    public static Box With<T1, T2, T3>(Func<T1, T2, T3, object?> function, ValueWidget<T1> first, ValueWidget<T2> second, ValueWidget<T3> third) =>
        Layout(() => function(first.Value, second.Value, third.Value), handler =>
        {
            first.Changed += _ => handler();
            second.Changed += _ => handler();
            third.Changed += _ => handler();
        }, first, second, third);

    static Box Layout(Func<object?> evaluate, Action<Action> subscribe, params Widget[] controls)
    {
        var output = new Output();
        void Refresh() => output.Replace(evaluate());
        subscribe(Refresh);
        Refresh();
        return Box.Vertical([.. controls, output]);
    }
}
