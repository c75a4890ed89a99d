using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ferry.Storage.Tests.Contract;

/// <summary>
/// A contract test. On a PostgreSQL test class it is skipped, with the reason, when FERRY_TEST_POSTGRES is unset
/// outside CI; on CI (CI=true) it runs and fails instead, so a missing database never passes unnoticed.
/// </summary>
[XunitTestCaseDiscoverer("Ferry.Storage.Tests.Contract.StoreFactDiscoverer", "Ferry.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new StoreTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("For deserialization only")]
    public StoreTestCase() { }

    public StoreTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(sink, display, options, method) { }

    protected override string? GetSkipReason(IAttributeInfo factAttribute)
    {
        var type = TestMethod.TestClass.Class.ToRuntimeType();
        return type is not null && typeof(IUsesPostgres).IsAssignableFrom(type) ? PostgresTarget.SkipReason : null;
    }
}

/// <summary>Marks a test class that runs against PostgreSQL.</summary>
public interface IUsesPostgres;
