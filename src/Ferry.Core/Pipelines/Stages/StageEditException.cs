namespace Ferry.Core.Pipelines.Stages;

/// <summary>Why a stage edit was refused; nothing was changed.</summary>
public enum StageRefusal
{
    /// <summary>The request itself is wrong (a bad name, both after and before).</summary>
    Invalid,
    /// <summary>A stage it names does not exist.</summary>
    NotFound,
    /// <summary>It clashes with the pipeline as it is (a name taken, the source stage moved, a layout it cannot edit).</summary>
    Conflict,
}

/// <summary>A refused stage edit, naming the request field (<c>name</c>, <c>after</c>, <c>before</c>, <c>stage</c>) and the stage.</summary>
public sealed class StageEditException(StageRefusal refusal, string field, string message) : Exception(message)
{
    public StageRefusal Refusal { get; } = refusal;
    public string Field { get; } = field;
}
