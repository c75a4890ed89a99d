using System.Xml.Linq;
using Ferry.Storage.Keys;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Ferry.Server.Security;

/// <summary>
/// The UI's data-protection keys (cookies, antiforgery tokens) in the store's key ring, wrapped by the master key, so a
/// form one node rendered is accepted by another, and a sign-in holds across nodes and restarts.
/// </summary>
internal sealed class StoreXmlRepository(IKeyStore keys) : IXmlRepository
{
    // ASP.NET Core's key manager calls these synchronously, once at start and when it makes or refreshes a key.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        keys.ListProtectionKeysAsync().GetAwaiter().GetResult().Select(XElement.Parse).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        keys.AddProtectionKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}
