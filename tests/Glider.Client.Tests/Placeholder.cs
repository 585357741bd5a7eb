namespace Glider.Client.Tests { public class Placeholder { [Xunit.Fact] public void Builds() { } } }
