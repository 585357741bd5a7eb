using System;
using System.Globalization;

namespace Glider.Emulator
{
    /// <summary>The demo keys of the README, for tests that start an emulator in-process.</summary>
    public static class EmulatorDemoKeys
    {
        /// <summary>Acme Capital, key_demo_rw: portfolios:read, portfolios:write, strategies:read.</summary>
        public const string ReadWrite = "gldr_sk_demo_rw_4f8a2c9e7b1d6053";

        /// <summary>Acme Capital, key_demo_ro: portfolios:read only.</summary>
        public const string ReadOnly = "gldr_sk_demo_ro_9c3e5a7f1b2d4086";

        /// <summary>Borealis Treasury, key_demo_t2: portfolios:read, portfolios:write.</summary>
        public const string OtherTenant = "gldr_sk_demo_t2_2b7d9f1a3c5e8064";

        /// <summary>Acme Capital, key_demo_expired: every call is 401 API_103.</summary>
        public const string Expired = "gldr_sk_demo_expired_5e1a7c3b9d2f";

        /// <summary>
        /// Acme Capital, key_probe: portfolios:read, portfolios:write. Its key id shares no 6-character run with the key,
        /// so a test can search every output for any fragment of the key without the id matching.
        /// </summary>
        public const string SecrecyProbe = "gldr_sk_Qm7Zx2Vw9Kp4Ty6Hb3Nc";

        /// <summary>One of the 50 extra Acme read/write keys (n = 0..49), for tests that need many distinct keys.</summary>
        public static string Extra(int n)
        {
            if (n < 0 || n > 49)
            {
                throw new ArgumentOutOfRangeException(nameof(n), "Extra keys are numbered 0 to 49.");
            }

            return $"gldr_sk_extra_{n.ToString("00", CultureInfo.InvariantCulture)}_0000000000000000";
        }
    }
}
