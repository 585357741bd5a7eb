using System;
using Glider.Client.Http;
using Xunit;

namespace Glider.Client.Tests
{
    public class RetryAfterParserTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        private static TimeSpan? Parse(params string[] values) => RetryAfterParser.Parse(values, responseDate: null, Now);

        [Theory]
        [InlineData("0", 0)]
        [InlineData("12", 12)]
        [InlineData(" 7 ", 7)]
        [InlineData("2.5", 3)] // a decimal is plain enough to honour, rounded up
        public void DeltaSecondsAreRead(string value, int expectedSeconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Parse(value));
        }

        [Theory]
        [InlineData("-1")]
        [InlineData("abc")]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("1e3")]
        [InlineData("+5")]
        [InlineData("0x10")]
        [InlineData("Wed, 99 Nov 2026 12:00:00 GMT")]
        [InlineData("NaN")]
        [InlineData("∞")]
        public void GarbageGivesNull(string value)
        {
            Assert.Null(Parse(value));
        }

        [Fact]
        public void NoHeaderGivesNull()
        {
            Assert.Null(RetryAfterParser.Parse(null, null, Now));
            Assert.Null(RetryAfterParser.Parse(Array.Empty<string>(), null, Now));
        }

        [Theory]
        [InlineData("2147483647")]
        [InlineData("99999999999999999999999999")]
        [InlineData("86401")]
        public void AbsurdValuesAreCappedNotThrown(string value)
        {
            Assert.Equal(RetryAfterParser.MaxRetryAfter, Parse(value));
        }

        [Fact]
        public void HttpDateIsMeasuredAgainstTheResponsesDateHeader()
        {
            // The client's clock is 10 minutes ahead of the server's. The server says "come back at 12:00:30" and
            // its Date says 12:00:00: the wait is 30 s, not 30 s minus ten minutes.
            DateTimeOffset serverNow = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
            DateTimeOffset skewedClientNow = serverNow.AddMinutes(10);

            TimeSpan? wait = RetryAfterParser.Parse(new[] { "Wed, 25 Nov 2026 12:00:30 GMT" }, serverNow, skewedClientNow);

            Assert.Equal(TimeSpan.FromSeconds(30), wait);
        }

        [Fact]
        public void HttpDateWithoutDateHeaderUsesTheClientsClock()
        {
            TimeSpan? wait = RetryAfterParser.Parse(new[] { "Wed, 25 Nov 2026 12:01:00 GMT" }, null, Now);
            Assert.Equal(TimeSpan.FromSeconds(60), wait);
        }

        [Fact]
        public void HttpDateInThePastIsUnusable()
        {
            Assert.Null(Parse("Tue, 24 Nov 2026 12:00:00 GMT"));
            Assert.Null(Parse("Wed, 25 Nov 2026 12:00:00 GMT")); // exactly now
            Assert.Equal(TimeSpan.FromSeconds(5), Parse("Tue, 24 Nov 2026 12:00:00 GMT", "5"));
        }

        [Fact]
        public void HttpDateFarInTheFutureIsCapped()
        {
            Assert.Equal(RetryAfterParser.MaxRetryAfter, Parse("Fri, 31 Dec 9999 23:59:59 GMT"));
        }

        [Fact]
        public void ObsoleteDateFormatsAreRead()
        {
            Assert.Equal(TimeSpan.FromSeconds(10), Parse("Wednesday, 25-Nov-26 12:00:10 GMT"));
            Assert.Equal(TimeSpan.FromSeconds(10), Parse("Wed Nov 25 12:00:10 2026"));
        }

        [Fact]
        public void DuplicatedHeadersTakeTheLongestWait()
        {
            Assert.Equal(TimeSpan.FromSeconds(9), Parse("3", "9", "abc"));
            Assert.Equal(TimeSpan.FromSeconds(9), Parse("3, 9"));
            Assert.Equal(TimeSpan.FromSeconds(20), Parse("Wed, 25 Nov 2026 12:00:10 GMT, Wed, 25 Nov 2026 12:00:20 GMT"));
        }

        [Theory]
        [InlineData(42.0, 42)]
        [InlineData(0.2, 1)]
        public void BodySecondsAreRoundedUp(double seconds, int expected)
        {
            Assert.Equal(TimeSpan.FromSeconds(expected), RetryAfterParser.FromSeconds(seconds));
        }

        [Theory]
        [InlineData(-1.0)]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        public void BodySecondsThatMeanNothingGiveNull(double seconds)
        {
            Assert.Null(RetryAfterParser.FromSeconds(seconds));
        }

        [Fact]
        public void HugeBodySecondsAreCapped()
        {
            Assert.Equal(RetryAfterParser.MaxRetryAfter, RetryAfterParser.FromSeconds(1e300));
        }
    }
}
