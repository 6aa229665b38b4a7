namespace CompiledNets;

/// <summary>The validation metric that early stopping watches.</summary>
public enum MonitoredMetric
{
    /// <summary>Mean validation loss; lower is better.</summary>
    ValidationLoss,

    /// <summary>Validation accuracy; higher is better.</summary>
    ValidationAccuracy,
}
