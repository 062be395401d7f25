using Folk.Lab.Diagnostics;
using Folk.Lab.Methods.Schedules;
using Folk.Lab.Tests.Methods;
using Folk.Lab.Tests.Support;
using static TorchSharp.torch;

namespace Folk.Lab.Tests.Diagnostics;

[Collection(GlobalRngCollection.Name)]
public class ParameterSnapshotTests
{
    [Fact]
    public void TheDistanceIsTheNormOfTheChangeOverTheNormOfTheSnapshot()
    {
        manual_seed(3);
        using var module = nn.Linear(4, 3);
        using var snapshot = ParameterSnapshot.Of(module);
        Assert.Equal(2, snapshot.Count);
        Assert.Equal(0, snapshot.RelativeDistance(module));

        double norm = Math.Sqrt(module.parameters().Sum(p => p.to(ScalarType.Float64).square().sum().item<double>()));
        using (no_grad()) module.weight![1, 2] = module.weight[1, 2] + 0.5f;       // one entry moves by 0.5
        Assert.Equal(0.5 / norm, snapshot.RelativeDistance(module), 6);
    }

    [Fact]
    public void FolksTeacherMovesByTheEmaStepTowardsTheStudent()
    {
        // θ_t' − θ_t = (1 − m)(θ_s − θ_t): one EMA step moves the teacher (1 − m) of the way to a changed student.
        using var folk = TinyFolk.Method();
        using var initial = ParameterSnapshot.Of(folk.Teacher.Encoder);
        using (no_grad()) foreach (var p in folk.Student.parameters()) p.add_(randn_like(p) * 0.1);
        double studentDistance = initial.RelativeDistance(folk.Student.Encoder);      // the teacher started as the student
        Assert.True(studentDistance > 0);
        Assert.Equal(0, initial.RelativeDistance(folk.Teacher.Encoder));
        folk.AfterOptimizerStep(0, 10);
        double m = new CosineMomentum(0.996, 1, 10).At(0);
        Assert.Equal((1 - m) * studentDistance, initial.RelativeDistance(folk.Teacher.Encoder), 1e-4 * studentDistance);
    }

    [Fact]
    public void AModuleOfAnotherShapeIsRefused()
    {
        using var a = nn.Linear(4, 3);
        using var b = nn.Linear(4, 2);
        using var c = nn.Conv2d(4, 3, 1);
        using var snapshot = ParameterSnapshot.Of(a);
        Assert.Contains("weight", Assert.Throws<ArgumentException>(() => snapshot.RelativeDistance(b)).Message);
        Assert.Throws<ArgumentException>(() => snapshot.RelativeDistance(c));
    }
}
