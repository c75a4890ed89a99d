using Npgsql;

namespace Ferry.Storage.Sql;

/// <summary>Accepts both Npgsql's <c>Host=…;Database=…</c> form and <c>postgres://user:pass@host:port/db?sslmode=…</c> URLs.</summary>
internal static class PostgresConnectionString
{
    public static string Parse(string connection)
    {
        if (!connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(connection).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw new StoreException($"reading the database connection string: {e.Message} (expected Host=…;Database=… or postgres://user:pass@host:port/db)", e);
            }
        }
        if (!Uri.TryCreate(connection, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new StoreException("reading the database URL: it is not a valid postgres://user:pass@host:port/db URL");
        }
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            try
            {
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException e)
            {
                throw new StoreException($"reading the database URL: unknown option '{key}': {e.Message}", e);
            }
        }
        return builder.ConnectionString;
    }
}
