using System.Net;
using Ferry.Core.Versions;

namespace Ferry.Server.Tests;

/// <summary>The resource page's forms as plain HTTP posts them: what they change in the store, and what they refuse.</summary>
public sealed partial class UiTests
{
    [Fact]
    public async Task ResourcePage_DisablesAVersionAndRedirects_WhenTheFormNamesOneOfItsVersions()
    {
        var (client, page, version, _) = await ResourceWithVersionsAsync("res-disable");
        using var _ = client;
        page.ShouldContain($"data-version=\"{version.Id}\"");
        page.ShouldContain("<span class=\"muted\">message</span> first commit");

        using var response = await PostAsync(client, "/pipelines/res-disable/resources/app", page, "version", ("enable", $"disable:{version.Id}"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldEndWith("/pipelines/res-disable/resources/app");
        (await host.Store.GetVersionAsync(version.Id))!.Disabled.ShouldBeTrue();
    }

    [Fact]
    public async Task ResourcePage_RefusesToPinAnotherResourcesVersion_With400AndNothingPinned()
    {
        var (client, page, _, other) = await ResourceWithVersionsAsync("res-pin");
        using var _ = client;

        using var response = await PostAsync(client, "/pipelines/res-pin/resources/app", page, "pin", ("version", other.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain($"version {other.Id} is not a version of resource &#x27;res-pin/app&#x27;");
        var pipeline = await host.Store.GetPipelineAsync("res-pin");
        (await host.Store.GetResourceAsync(pipeline!.Id, "app"))!.PinnedVersionId.ShouldBeNull();
    }

    /// <summary>A pipeline whose resource app has a version (and another pipeline's resource one); the page as admin sees it.</summary>
    private async Task<(HttpClient Client, string Page, Storage.Versions.VersionRecord Version, Storage.Versions.VersionRecord Other)> ResourceWithVersionsAsync(string pipeline)
    {
        await host.SetPipelineAsync(pipeline, Pipelines.Hello);
        await host.SetPipelineAsync(pipeline + "-other", Pipelines.Hello);
        var version = await SaveVersionAsync(pipeline, "a1");
        var other = await SaveVersionAsync(pipeline + "-other", "b1");
        var client = NewClient();
        return (client, await client.GetStringAsync($"/pipelines/{pipeline}/resources/app"), version, other);
    }

    private async Task<Storage.Versions.VersionRecord> SaveVersionAsync(string pipeline, string commit)
    {
        var p = await host.Store.GetPipelineAsync(pipeline);
        var app = await host.Store.GetResourceAsync(p!.Id, "app");
        return (await host.Store.SaveVersionsAsync(app!.Id, [new ResourceVersion(new Dictionary<string, string> { ["ref"] = commit }, [new MetadataField("message", "first commit")])]))[0];
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string page, string handler, params (string Name, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        form["_handler"] = handler;
        form["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenInput().Match(page).Groups["token"].Value);
        return client.PostAsync(path, new FormUrlEncodedContent(form));
    }
}
