using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Glider.Emulator.Tests
{
    public sealed class HostTests
    {
        [Fact]
        public async Task Port_zero_gives_each_instance_its_own_loopback_port()
        {
            await using var first = await EmulatorHost.StartAsync(new EmulatorOptions());
            await using var second = await EmulatorHost.StartAsync(new EmulatorOptions());
            Assert.Equal("127.0.0.1", first.BaseUri.Host);
            Assert.Equal("/", first.BaseUri.AbsolutePath);
            Assert.NotEqual(0, first.Port);
            Assert.NotEqual(first.Port, second.Port);
        }

        [Fact]
        public async Task It_does_not_listen_on_ipv6_loopback()
        {
            if (!Socket.OSSupportsIPv6)
            {
                return;
            }

            await using var emu = await EmulatorHost.StartAsync(new EmulatorOptions());
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, emu.Port)));
        }

        [Fact]
        public async Task Disposing_twice_is_harmless()
        {
            var emu = await EmulatorHost.StartAsync(new EmulatorOptions());
            await emu.DisposeAsync();
            await emu.DisposeAsync();
        }

        [Fact]
        public async Task Invalid_options_are_refused_before_listening()
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EmulatorHost.StartAsync(new EmulatorOptions { OperationMs = -1 }));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EmulatorHost.StartAsync(new EmulatorOptions { Port = 70000 }));
        }
    }
}
