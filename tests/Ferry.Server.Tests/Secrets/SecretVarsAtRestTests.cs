using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Storage;
using Microsoft.Data.Sqlite;

namespace Ferry.Server.Tests.Secrets;

/// <summary>
/// A --secret-var used in a resource's source and a task's params, through a real server that checks and runs: the
/// value is in none of the SQLite files (database, WAL), not in the stored plan, nor in any encoding in the log.
/// </summary>
public sealed class SecretVarsAtRestTests
{
    private const string Secret = "ferry-test-s3cr3t-Qx7";

    private const string Yaml = """
        resources:
          - name: app
            type: git
            source: { uri: "file:///tmp/nowhere-((token)).git", branch: main }
        jobs:
          - name: fetch
            plan: [{ get: app }]
          - name: unit
            plan:
              - task: leak
                config:
                  platform: linux
                  params: { TOKEN: ((token)) }
                  run:
                    path: sh
                    args:
                      - -c
                      - |
                        echo "plain $TOKEN"
                        printf '%s' "$TOKEN" | base64 -w0; echo
                        printf 'user:%s' "$TOKEN" | base64 -w0; echo
                        printf '%s' "$TOKEN" | od -An -tx1 | tr -d ' \n'; echo
        """;

    [Fact]
    public async Task Server_KeepsASecretVarOutOfTheDatabaseFiles_WhenABuildAndACheckUseIt()
    {
        var host = await RunningServer.StartAsync();
        try
        {
            using var set = await host.Http.PutAsync("/api/v1/pipelines/secretive/config",
                FerryHost.Json(new JsonObject { ["config"] = Yaml, ["secretVars"] = new JsonObject { ["token"] = Secret } }));
            set.IsSuccessStatusCode.ShouldBeTrue(await set.Content.ReadAsStringAsync());
            var pipeline = (await host.Store.GetPipelineAsync("secretive"))!;
            var build = await RunningServer.FinishedAsync(host.Store, await RunningServer.TriggerAsync(host, "secretive", "unit"));
            var resource = await WaitForCheckErrorAsync(host.Store, pipeline.Id, "app");

            build.Status.ShouldBe(BuildStatus.Succeeded);
            var log = await RunningServer.LogAsync(host.Store, build.Id);
            log.ShouldContain("plain ((redacted))");
            log.ShouldNotContain(Secret);
            log.ShouldNotContain(Base64(Secret));
            log.ShouldNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Secret)));
            log.ShouldNotContain(Base64("user:" + Secret));
            resource.LastCheckError.ShouldNotBeNull().ShouldContain("((redacted))");
            resource.LastCheckError.ShouldNotContain(Secret);

            StoredPlan(host.DataDirectory, build.Id).ShouldStartWith("v1:", customMessage: "the plan as stored is sealed");
            var files = ReadDataFiles(host.DataDirectory);
            files.ShouldContain("secretive", customMessage: "the files are readable: the checks below could fail");
            files.ShouldNotContain(Secret);
            files.ShouldNotContain(Base64(Secret));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<ResourceRecord> WaitForCheckErrorAsync(IStore store, int pipelineId, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var resource = (await store.GetResourceAsync(pipelineId, name))!;
            if (resource.LastCheckError is not null)
            {
                return resource;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"resource {name} was not checked within 60 s");
            }
            await Task.Delay(100);
        }
    }

    private static string StoredPlan(string dataDirectory, long buildId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, StoreFactory.SqliteFileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT plan FROM builds WHERE id = $id";
        command.Parameters.AddWithValue("$id", buildId);
        return (string)command.ExecuteScalar()!;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>The SQLite file, its WAL and shared memory as one text (Latin-1, so UTF-8 text is found as it is).</summary>
    internal static string ReadDataFiles(string directory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(directory, StoreFactory.SqliteFileName + "*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            text.Append(Encoding.Latin1.GetString(buffer.ToArray()));
        }
        return text.ToString();
    }
}
