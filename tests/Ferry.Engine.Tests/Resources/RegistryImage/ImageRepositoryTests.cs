using Ferry.Engine.Resources;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

public sealed class ImageRepositoryTests
{
    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", "https://registry-1.docker.io/v2/")]
    [InlineData("concourse/concourse", "docker.io", "concourse/concourse", "https://registry-1.docker.io/v2/")]
    [InlineData("ghcr.io/org/app", "ghcr.io", "org/app", "https://ghcr.io/v2/")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000", "app", "http://127.0.0.1:5000/v2/")]
    [InlineData("127.3.2.1/app", "127.3.2.1", "app", "http://127.3.2.1/v2/")]
    [InlineData("localhost:5000/a/b", "localhost:5000", "a/b", "http://localhost:5000/v2/")]
    [InlineData("[::1]:5000/app", "[::1]:5000", "app", "http://[::1]:5000/v2/")]
    [InlineData("10.0.0.1:5000/app", "10.0.0.1:5000", "app", "https://10.0.0.1:5000/v2/")]
    public void Parse_FindsRegistryAndScheme_ForRepository(string repository, string registry, string path, string root)
    {
        var parsed = ImageRepository.Parse(repository, insecure: false);

        parsed.Registry.ShouldBe(registry);
        parsed.Path.ShouldBe(path);
        parsed.ApiRoot.ToString().ShouldBe(root);
    }

    [Fact]
    public void Parse_SpeaksPlainHttp_WhenInsecure()
    {
        ImageRepository.Parse("registry.internal:5000/app", insecure: true).ApiRoot.ToString().ShouldBe("http://registry.internal:5000/v2/");
    }

    [Theory]
    [InlineData("alpine:3.18", "source.repository: 'alpine:3.18' includes a tag; give the tag in source.tag")]
    [InlineData("Alpine", "source.repository: 'Alpine' is not a repository name (lowercase letters, digits, '.', '_', '-' and '/' separated components)")]
    public void Parse_ThrowsConfigError_WhenRepositoryIsNotOne(string repository, string message)
    {
        Should.Throw<ResourceConfigException>(() => ImageRepository.Parse(repository, insecure: false)).Message.ShouldBe(message);
    }
}
