namespace Folk.Lab.IO.Pth;

/// <summary>
/// Something a pickle describes that <see cref="PickleMachine"/> does not build: a global outside the allow-list, a
/// call of one, or an instance of one (a training checkpoint's pickled config, a payload). It records what the pickle
/// asked for and nothing else; arguments and state given to it are dropped unread. Where one may stand is
/// <see cref="PthStateDict"/>'s decision: never among the weights.
/// </summary>
/// <param name="Global">What the pickle named, as <c>module.attribute</c>.</param>
/// <param name="Request">What it asked of it: "names the global", "calls" or "creates an instance of".</param>
internal sealed record PickleObject(string Global, string Request);
