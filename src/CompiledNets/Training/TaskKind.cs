namespace CompiledNets;

/// <summary>What a <see cref="Trainer"/> learns, decided by its criterion; it chooses the metrics each epoch reports.</summary>
public enum TaskKind
{
    /// <summary>One class per sample, from a criterion of class labels (<see cref="CrossEntropyLoss"/>): loss and accuracy.</summary>
    Classification,

    /// <summary>
    /// 0/1 targets scored by logits (<see cref="BCEWithLogitsLoss"/>): loss, accuracy of <c>logit &gt; 0</c>, and ROC AUC
    /// (the mean over outputs when there are several, as scikit-learn's macro average).
    /// </summary>
    Binary,

    /// <summary>
    /// Float targets (<see cref="MSELoss"/>, <see cref="L1Loss"/>, <see cref="HuberLoss"/>, <see cref="SmoothL1Loss"/>, or any
    /// other criterion of float targets): loss, MAE, MSE, RMSE and R² (uniform averages over outputs, as scikit-learn's).
    /// </summary>
    Regression,
}
