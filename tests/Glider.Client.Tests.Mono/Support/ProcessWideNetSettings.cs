using Xunit;

namespace Glider.Client.Tests.Support
{
    /// <summary>Tests that read or set ServicePointManager's process-wide settings run one at a time.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessWideNetSettings
    {
        public const string Name = "Process-wide network settings";
    }
}
