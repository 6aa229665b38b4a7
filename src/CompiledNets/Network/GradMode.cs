using System;
using System.Collections.Generic;

namespace CompiledNets;

/// <summary>
/// Whether batched forward passes record what backward needs, for the calling thread, like PyTorch's
/// <c>torch.is_grad_enabled()</c>: a <see cref="NoGrad"/> scope on one thread changes nothing on another, and a
/// network used from several threads sees each thread's own mode.
/// </summary>
/// <remarks>
/// Scopes nest and may end in any order: gradients are off while any scope of the thread is open (or
/// <see cref="IsEnabled"/> was set to false). Ending a scope twice, or a default scope, changes nothing.
/// </remarks>
public static class GradMode
{
    [ThreadStatic] private static List<long>? t_openScopes;
    [ThreadStatic] private static long t_nextScope;
    [ThreadStatic] private static bool t_disabled;

    /// <summary>
    /// Whether gradients are enabled on this thread (no <see cref="NoGrad"/> scope open and not switched off); setting it
    /// is <c>torch.set_grad_enabled(value)</c> for this thread, and open scopes still turn gradients off.
    /// </summary>
    public static bool IsEnabled
    {
        get => !t_disabled && (t_openScopes is null || t_openScopes.Count == 0);
        set => t_disabled = !value;
    }

    /// <summary>Turns gradients off on this thread until the returned scope is disposed, like <c>with torch.no_grad():</c>.</summary>
    public static NoGradScope NoGrad() => new(Open());

    /// <summary>Opens a scope on this thread and returns its ticket.</summary>
    internal static long Open()
    {
        t_openScopes ??= [];
        long ticket = ++t_nextScope;
        t_openScopes.Add(ticket);
        return ticket;
    }

    /// <summary>Closes the scope of <paramref name="ticket"/> if it is open on this thread; false when it is not.</summary>
    internal static bool Close(long ticket) => t_openScopes is { } open && open.Remove(ticket);
}
