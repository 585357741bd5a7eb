namespace Glider.PowerShell { internal static class Placeholder { } }
