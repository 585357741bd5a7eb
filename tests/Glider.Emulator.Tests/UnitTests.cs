using System;
using Glider.Emulator.Http;
using Glider.Emulator.Model;
using Xunit;

namespace Glider.Emulator.Tests
{
    /// <summary>The pure pieces, without HTTP.</summary>
    public sealed class UnitTests
    {
        private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData(0, "accepted")]
        [InlineData(199, "accepted")]
        [InlineData(200, "running")]
        [InlineData(999, "running")]
        [InlineData(1000, "completed")]
        [InlineData(100000, "completed")]
        public void The_state_follows_from_the_elapsed_time(int elapsedMs, string state)
        {
            var run = new RebalanceOperation("op", "pf", T0, 1000, OperationOutcome.Success);
            var view = run.ViewAt(T0.AddMilliseconds(elapsedMs));
            Assert.Equal(state, view.State);
            Assert.Equal(state == "completed", view.IsTerminal);
        }

        [Fact]
        public void A_zero_length_run_is_terminal_at_once()
        {
            var run = new RebalanceOperation("op", "pf", T0, 0, new OperationOutcome("failed", "boom", Array.Empty<string>()));
            var view = run.ViewAt(T0);
            Assert.Equal("failed", view.State);
            Assert.Equal("boom", view.Error);
            Assert.Equal(T0, view.FinishedAt);
        }

        [Fact]
        public void Cursors_round_trip_and_reject_tampering()
        {
            var cursor = new ListCursor(T0, "pf_acme_0100");
            var text = cursor.Encode();
            Assert.True(ListCursor.TryDecode(text, out var decoded));
            Assert.Equal(cursor, decoded);
            Assert.False(ListCursor.TryDecode(text.Substring(1), out _));
            Assert.False(ListCursor.TryDecode(text + "%%", out _));
            Assert.False(ListCursor.TryDecode("c1.", out _));
        }

        [Fact]
        public void Times_are_written_in_utc_with_milliseconds()
        {
            Assert.Equal("2026-11-25T13:00:00.120Z", IsoTime.Format(new DateTimeOffset(2026, 11, 25, 14, 0, 0, 120, TimeSpan.FromHours(1))));
        }
    }
}
