using Folk.Lab.Kernel.Protocol;

namespace Folk.Lab.Kernel.Tests.Protocol;

public class ConnectionFileTests
{
    [Fact]
    public void ReadsJupytersFieldsAndNamesTheFileAndFieldOnErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"folk-lab-connection-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "folk-csharp"}""");
            var file = ConnectionFile.Load(path);
            Assert.Equal("tcp://127.0.0.1:5002", file.Endpoint(file.IopubPort));
            Assert.Equal("k", file.Key);

            File.WriteAllText(path, """{"shell_port": 5001, "iopub_port": 0, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "key": ""}""");
            var e = Assert.Throws<InvalidDataException>(() => ConnectionFile.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("iopub_port", e.Message);
        }
        finally { File.Delete(path); }
    }
}
