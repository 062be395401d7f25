using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Folk.Lab.IO.Pth;

/// <summary>
/// A pickle virtual machine (protocols 2–5) that only builds plain values: numbers, strings, bytes, tuples
/// (<c>object?[]</c>), lists, dicts (<see cref="PickleDict"/>), allowed globals (<see cref="PickleGlobal"/>), storages
/// and tensor descriptors. It imports nothing and calls nothing: a global outside the allow-list, a call of anything
/// but a tensor rebuild or an empty <c>OrderedDict</c>, and an instance of either become a <see cref="PickleObject"/>
/// that only records the request; items, attributes and arguments given to it are dropped.
/// </summary>
/// <remarks>
/// Opcodes follow CPython's Lib/pickletools.py; those a state dict never needs (EXT*, the protocol-0 text forms) are
/// refused as malformed input. Interpreting past a foreign global instead of stopping at it lets the caller say where
/// it sits (a checkpoint's <c>config</c>, or among the weights) and decide: <see cref="PthStateDict"/> refuses it by
/// default, as <c>torch.load(weights_only=True)</c> does, and can leave it out of a checkpoint's other entries.
/// </remarks>
internal sealed class PickleMachine
{
    static readonly object Mark = new();

    readonly string _source;
    readonly Func<object?[], object> _persistentLoad;
    readonly List<object?> _stack = new();
    readonly Dictionary<long, object?> _memo = new();
    Stream _input = Stream.Null;

    /// <summary>A machine for pickles of <paramref name="source"/> (named in errors), resolving persistent ids
    /// (storages) through <paramref name="persistentLoad"/>.</summary>
    public PickleMachine(string source, Func<object?[], object> persistentLoad)
    {
        _source = source;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Runs one pickle from the current position of <paramref name="input"/> to its STOP and returns its value.</summary>
    public object? Load(Stream input)
    {
        _input = input;
        _stack.Clear();
        _memo.Clear();
        while (true)
        {
            long at = input.Position;
            int op = input.ReadByte();
            if (op < 0) throw Malformed("the pickle ends before its STOP opcode");
            switch (op)
            {
                case 0x80: ReadByte(); break;                                            // PROTO
                case 0x95: ReadBytes(8); break;                                          // FRAME
                case 0x2e:                                                               // STOP
                    var result = Pop();
                    if (_stack.Count != 0) throw Malformed("values are left on the stack at STOP");
                    return result;
                case 0x28: _stack.Add(Mark); break;                                      // MARK
                case 0x30: Pop(); break;                                                 // POP
                case 0x31: PopMark(); break;                                             // POP_MARK
                case 0x7d: _stack.Add(new PickleDict()); break;                         // EMPTY_DICT
                case 0x5d: _stack.Add(new List<object?>()); break;                      // EMPTY_LIST
                case 0x29: _stack.Add(Array.Empty<object?>()); break;                   // EMPTY_TUPLE
                case 0x4e: _stack.Add(null); break;                                      // NONE
                case 0x88: _stack.Add(true); break;                                      // NEWTRUE
                case 0x89: _stack.Add(false); break;                                     // NEWFALSE
                case 0x4a: _stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;   // BININT
                case 0x4b: _stack.Add((long)ReadByte()); break;                                             // BININT1
                case 0x4d: _stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;  // BININT2
                case 0x8a: _stack.Add(Long(ReadBytes(ReadByte()))); break;                                  // LONG1
                case 0x8b: _stack.Add(Long(ReadBytes(Length(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))))); break; // LONG4
                case 0x47: _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;          // BINFLOAT
                case 0x58: _stack.Add(Utf8(ReadBytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))))); break; // BINUNICODE
                case 0x8c: _stack.Add(Utf8(ReadBytes(ReadByte()))); break;                                  // SHORT_BINUNICODE
                case 0x8d: _stack.Add(Utf8(ReadBytes(Length(BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8)))))); break; // BINUNICODE8
                case 0x54: _stack.Add(Encoding.Latin1.GetString(ReadBytes(Length(BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)))))); break; // BINSTRING
                case 0x55: _stack.Add(Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break;             // SHORT_BINSTRING
                case 0x42: _stack.Add(ReadBytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))); break; // BINBYTES
                case 0x43: _stack.Add(ReadBytes(ReadByte())); break;                                        // SHORT_BINBYTES
                case 0x8e: _stack.Add(ReadBytes(Length(BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8))))); break; // BINBYTES8
                case 0x85: _stack.Add(new[] { Pop() }); break;                                              // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); _stack.Add(new[] { a, b }); break; }             // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); _stack.Add(new[] { a, b, c }); break; } // TUPLE3
                case 0x74: _stack.Add(PopMark().ToArray()); break;                                          // TUPLE
                case 0x6c: _stack.Add(PopMark()); break;                                                    // LIST
                case 0x64: { var d = new PickleDict(); SetItems(d, PopMark()); _stack.Add(d); break; }      // DICT
                case 0x61: { var v = Pop(); AsList(Peek())?.Add(v); break; }                                // APPEND
                case 0x65: { var items = PopMark(); AsList(Peek())?.AddRange(items); break; }              // APPENDS
                case 0x73: { var v = Pop(); var k = Pop(); SetItems(AsDict(Peek()), new List<object?> { k, v }); break; } // SETITEM
                case 0x75: { var items = PopMark(); SetItems(AsDict(Peek()), items); break; }              // SETITEMS
                case 0x71: _memo[ReadByte()] = Peek(); break;                                               // BINPUT
                case 0x72: _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break;   // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                                              // MEMOIZE
                case 0x68: _stack.Add(Memo(ReadByte())); break;                                             // BINGET
                case 0x6a: _stack.Add(Memo(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // LONG_BINGET
                case 0x63: { var module = ReadLine(); var name = ReadLine(); _stack.Add(Global(module, name)); break; } // GLOBAL
                case 0x93:                                                                                  // STACK_GLOBAL
                {
                    var name = Pop() as string ?? throw Malformed("STACK_GLOBAL needs two strings");
                    var module = Pop() as string ?? throw Malformed("STACK_GLOBAL needs two strings");
                    _stack.Add(Global(module, name));
                    break;
                }
                case 0x52: { var args = Pop(); var callable = Pop(); _stack.Add(Reduce(callable, args)); break; } // REDUCE
                case 0x81: { Pop(); _stack.Add(Instance(Pop())); break; }                                  // NEWOBJ
                case 0x92: { Pop(); Pop(); _stack.Add(Instance(Pop())); break; }                           // NEWOBJ_EX
                case 0x62: { var state = Pop(); Build(Peek(), state); break; }                             // BUILD
                case 0x51: _stack.Add(_persistentLoad(Pop() as object?[] ?? throw Malformed("a persistent id is not a tuple"))); break; // BINPERSID
                default: throw Malformed($"opcode 0x{op:x2} at byte {at} is not one a weights-only load reads");
            }
        }
    }

    static object Global(string module, string name) =>
        PickleGlobal.Resolve(module, name) ?? (object)new PickleObject($"{module}.{name}", "names the global");

    object Instance(object? type) => type switch
    {
        PickleGlobal g => new PickleObject(g.FullName, "creates an instance of"),
        PickleObject o => o with { Request = "creates an instance of" },
        _ => throw Malformed("NEWOBJ of something that is not a global"),
    };

    object Reduce(object? callable, object? args)
    {
        if (callable is PickleObject foreign) return foreign with { Request = "calls" };
        var f = callable as PickleGlobal ?? throw Malformed("REDUCE calls something that is not a global");
        var a = args as object?[] ?? throw Malformed($"REDUCE of {f.FullName} has no argument tuple");
        if (f == PickleGlobal.OrderedDict)
        {
            if (a.Length == 0) return new PickleDict();
            throw Malformed("OrderedDict is rebuilt with arguments; only the empty form is read");
        }
        if (f == PickleGlobal.RebuildTensor)
        {
            if (a.Length is < 6 or > 7 || a[0] is not TorchStorageRef storage || a[1] is not long offset)
                throw Malformed("_rebuild_tensor_v2 is called with unexpected arguments");
            var shape = Longs(a[2], "size");
            var strides = Longs(a[3], "stride");
            if (shape.Length != strides.Length) throw Malformed($"a tensor has {shape.Length} sizes and {strides.Length} strides");
            return new TorchTensorRef(storage, offset, shape, strides);
        }
        if (f == PickleGlobal.RebuildParameter)
        {
            if (a.Length != 3 || a[0] is not TorchTensorRef data) throw Malformed("_rebuild_parameter is called with unexpected arguments");
            return data;
        }
        return new PickleObject(f.FullName, "calls");
    }

    void Build(object? target, object? state)
    {
        // OrderedDict's pickle sets instance attributes (a state dict's _metadata) through BUILD; they are not weights.
        if (target is PickleDict && state is PickleDict or null) return;
        if (target is PickleObject) return;                                      // its state is not read
        throw Malformed($"BUILD on {Describe(target)} is not one a weights-only load reads");
    }

    long[] Longs(object? value, string what)
    {
        if (value is not object?[] items) throw Malformed($"a tensor's {what} is not a tuple");
        var result = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is not long v || v < 0) throw Malformed($"a tensor's {what} holds {Describe(items[i])}, not a non-negative integer");
            result[i] = v;
        }
        return result;
    }

    void SetItems(PickleDict? dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Malformed("a dict is given a key without a value");
        if (dict is null) return;                                                // items of a PickleObject: dropped
        for (int i = 0; i + 1 < items.Count; i += 2) dict.Set(items[i] ?? "None", items[i + 1]);
    }

    List<object?>? AsList(object? value) => value is PickleObject ? null : value as List<object?> ?? throw Malformed("APPEND to something that is not a list");

    PickleDict? AsDict(object? value) => value is PickleObject ? null : value as PickleDict ?? throw Malformed("SETITEM on something that is not a dict");

    object? Memo(long key) => _memo.TryGetValue(key, out var v) ? v : throw Malformed($"memo entry {key} is read before it is written");

    object? Peek() => _stack.Count > 0 && _stack[^1] != Mark ? _stack[^1] : throw Malformed("the stack is empty");

    object? Pop()
    {
        var v = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    List<object?> PopMark()
    {
        int mark = _stack.LastIndexOf(Mark);
        if (mark < 0) throw Malformed("no MARK on the stack");
        var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    int ReadByte()
    {
        int b = _input.ReadByte();
        return b >= 0 ? b : throw Malformed("the pickle is truncated");
    }

    byte[] ReadBytes(int count)
    {
        if (count > _input.Length - _input.Position) throw Malformed($"the pickle is truncated (needs {count} more bytes)");
        var buffer = new byte[count];
        _input.ReadExactly(buffer);
        return buffer;
    }

    int Length(long length) => length is >= 0 and <= int.MaxValue ? (int)length : throw Malformed($"a length of {length} bytes");

    string ReadLine()
    {
        var bytes = new List<byte>();
        for (int b = ReadByte(); b != '\n'; b = ReadByte())
        {
            if (bytes.Count > 1024) throw Malformed("a GLOBAL name is over 1024 bytes");
            bytes.Add((byte)b);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    static object Long(byte[] bytes)
    {
        if (bytes.Length == 0) return 0L;
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => g.FullName,
        PickleObject o => o.Global,
        object?[] => "a tuple",
        _ => value.GetType().Name,
    };

    InvalidDataException Malformed(string why) => new($"{_source}: not a readable weights pickle: {why}.");
}
