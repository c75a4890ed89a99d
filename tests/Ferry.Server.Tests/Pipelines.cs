namespace Ferry.Server.Tests;

/// <summary>Pipeline files the tests set.</summary>
internal static class Pipelines
{
    public const string Hello = """
        resources:
          - name: app
            type: git
            source: { uri: "file:///tmp/nowhere.git", branch: main }
            webhook_token: ((hook))
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo hi"] }
        """;

    public const string HelloWithDeploy = Hello + """

          - name: deploy
            plan:
              - get: app
                passed: [unit]
        """;

    /// <summary>A get of a resource the pipeline does not declare, in the second step of job unit.</summary>
    public const string UnknownResource = """
        resources:
          - name: app
            type: git
            source: { uri: "file:///tmp/nowhere.git" }
        jobs:
          - name: unit
            plan:
              - get: app
              - get: tools
        """;

    /// <summary>One job of one task and no inputs: a trigger starts a build at once.</summary>
    public const string Greet = """
        jobs:
          - name: greet
            plan:
              - task: hello
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo hello"] }
        """;

    /// <summary>A pipeline whose production environment takes approvals from <paramref name="approvers"/> (users or teams).</summary>
    public static string ApprovedBy(string approvers) => $$"""
        resources:
          - name: app
            type: git
            source: { uri: "file:///tmp/nowhere.git", branch: main }
        jobs:
          - name: unit
            plan: [{ get: app, trigger: true }]
        environments:
          - name: production
            release: [app]
            from: [unit]
            promote: manual
            approval: { required: 1, from: [{{approvers}}] }
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
        """;
}
