"""What #!share runs in the Python kernel of Python cells (Folk.Lab.Kernel.Languages.PythonKernel): a variable out as
.npy (torch tensors, NumPy arrays) or JSON, and a value in."""


def __folk_lab_export(name, npy, answer):
    import json
    if name not in globals():
        raise NameError(f"name '{name}' is not defined in the Python kernel")
    value = globals()[name]
    kind = None
    try:
        import torch
        if isinstance(value, torch.Tensor):
            import numpy
            numpy.save(npy, value.detach().cpu().numpy())
            kind = {"kind": "tensor"}
    except ImportError:
        pass
    if kind is None:
        try:
            import numpy
            if isinstance(value, numpy.ndarray):
                numpy.save(npy, value)
                kind = {"kind": "tensor"}
        except ImportError:
            pass
    if kind is None:
        try:
            json.dumps(value, allow_nan=False)
            kind = {"kind": "json", "value": value}
        except (TypeError, ValueError):
            kind = {"kind": "unsupported", "type": type(value).__module__ + "." + type(value).__qualname__}
    with open(answer, "w") as f:
        json.dump(kind, f)

def __folk_lab_import(name, kind, payload):
    import json
    if kind == "tensor":
        import numpy
        value = numpy.load(payload)
        try:
            import torch
            value = torch.from_numpy(value)
        except ImportError:
            pass
    else:
        value = json.loads(payload)
    globals()[name] = value
