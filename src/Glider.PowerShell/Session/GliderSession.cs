using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Glider.PowerShell
{
    /// <summary>
    /// The default connection and the record of runs started, one per runspace. Keyed on the Runspace object (weakly, so a closed runspace's entry
    /// goes with it) rather than a session variable: a variable could be overwritten, exported or serialized by
    /// scripts, and a process-wide static would leak one runspace's connection into ForEach-Object -Parallel or
    /// another job. Runspace.DefaultRunspace is the runspace of the pipeline thread calling us.
    /// </summary>
    internal static class GliderSession
    {
        private sealed class Slot
        {
            public GliderConnection? Connection;
            public readonly SessionOperations Operations = new SessionOperations();
        }

        private static readonly ConditionalWeakTable<object, Slot> Slots = new ConditionalWeakTable<object, Slot>();

        // A host that runs cmdlets without a default runspace still gets one shared slot instead of a crash.
        private static readonly object NoRunspace = new object();

        private static Slot Current => Slots.GetValue((object?)Runspace.DefaultRunspace ?? NoRunspace, _ => new Slot());

        /// <summary>The runs this runspace's commands started (Get-GliderOperation with no ids). Read it on the pipeline thread.</summary>
        public static SessionOperations Operations => Current.Operations;

        public static GliderConnection? Default
        {
            get
            {
                Slot slot = Current;
                lock (slot)
                {
                    return slot.Connection;
                }
            }
            set
            {
                Slot slot = Current;
                lock (slot)
                {
                    slot.Connection = value;
                }
            }
        }
    }
}
