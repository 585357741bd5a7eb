using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Glider.Emulator.Http
{
    /// <summary>The single terminal middleware: control routes to the control API, everything else to /v2 handling.</summary>
    internal sealed class EmulatorRequestHandler
    {
        private readonly V2Dispatcher _v2;
        private readonly ControlApi _control;

        public EmulatorRequestHandler(V2Dispatcher v2, ControlApi control)
        {
            _v2 = v2;
            _control = control;
        }

        public Task HandleAsync(HttpContext context)
        {
            var target = RawRequestTarget.From(context);
            return ControlApi.IsControl(target.Segments) ? _control.HandleAsync(context, target) : _v2.HandleAsync(context, target);
        }
    }
}
