namespace Glider.Emulator.Tests { public class Placeholder { [Xunit.Fact] public void Builds() { } } }
