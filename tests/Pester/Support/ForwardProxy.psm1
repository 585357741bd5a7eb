# A real forward proxy for the proxy tests: Debian's tinyproxy (installed by .ci/run), with Basic authentication, on
# 127.0.0.1 and a free port, with a configuration and a log of its own in a temporary folder. Started and stopped by
# the tests themselves, by its own process id.

Set-StrictMode -Version 3.0

function Test-ForwardProxyAvailable {
    [bool] (Get-Command -Name tinyproxy -CommandType Application -ErrorAction Ignore)
}

function Start-ForwardProxy {
    <#
    .SYNOPSIS
        Starts tinyproxy requiring Basic authentication as User/Password; returns Uri, LogPath and the process.
    #>
    param(
        [Parameter(Mandatory)] [string] $User,
        [Parameter(Mandatory)] [string] $Password,
        [int] $StartTimeoutSec = 20
    )
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) "glider-proxy-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $folder
    # A free port: the system's choice for a listener we close at once (tinyproxy cannot be asked for port 0).
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = ([System.Net.IPEndPoint] $probe.LocalEndpoint).Port
    $probe.Stop()

    $logPath = Join-Path $folder 'tinyproxy.log'
    # No ConnectPort line: CONNECT is allowed to any port (the emulator's is random). LogLevel Info logs each request
    # line (and each CONNECT) without headers.
    Set-Content -LiteralPath (Join-Path $folder 'tinyproxy.conf') -Value @"
Port $port
Listen 127.0.0.1
Allow 127.0.0.1
Timeout 60
MaxClients 64
LogFile "$logPath"
LogLevel Info
DisableViaHeader Yes
BasicAuth $User $Password
"@
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('tinyproxy')
    foreach ($argument in '-d', '-c', (Join-Path $folder 'tinyproxy.conf')) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $null = $process.StandardOutput.ReadToEndAsync()
    $errors = $process.StandardError.ReadToEndAsync()

    # Ready when the port accepts a connection; the wait between tries is the process's own exit, so a proxy that
    # dies on start is reported at once.
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    $ready = $false
    while (-not $ready -and [DateTime]::UtcNow -lt $deadline) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect([System.Net.IPAddress]::Loopback, $port); $ready = $true }
        catch { if ($process.WaitForExit(50)) { break } }
        finally { $client.Dispose() }
    }
    if (-not $ready) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "tinyproxy did not accept connections on 127.0.0.1:$port within $StartTimeoutSec s. $($errors.Result)"
    }
    [pscustomobject]@{
        Uri     = [uri] "http://127.0.0.1:$port/"
        Port    = $port
        LogPath = $logPath
        Folder  = $folder
        Process = $process
    }
}

function Get-ForwardProxyLog {
    <#
    .SYNOPSIS
        The proxy's log lines from line -Skip on (read the count first to see only what a test caused).
    #>
    param([Parameter(Mandatory)] $Proxy, [int] $Skip = 0)
    if (-not (Test-Path -LiteralPath $Proxy.LogPath)) { return @() }
    @(Get-Content -LiteralPath $Proxy.LogPath | Select-Object -Skip $Skip)
}

function Stop-ForwardProxy {
    param([Parameter(Mandatory)] $Proxy)
    if (-not $Proxy.Process.HasExited) {
        $Proxy.Process.Kill()
        $null = $Proxy.Process.WaitForExit(5000)
    }
    $Proxy.Process.Dispose()
    Remove-Item -LiteralPath $Proxy.Folder -Recurse -Force -ErrorAction Ignore
}

function New-LoopbackCertificate {
    <#
    .SYNOPSIS
        A self-signed certificate for 127.0.0.1, written as a PKCS#12 file (for the emulator) and a PEM file (for a
        client process to trust through SSL_CERT_FILE, and nothing else: it replaces the system's trust list there).
    #>
    param([Parameter(Mandatory)] [string] $Folder)
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
            'CN=127.0.0.1', $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddIpAddress([System.Net.IPAddress]::Loopback)
        $request.CertificateExtensions.Add($names.Build())
        $serverAuth = [System.Security.Cryptography.OidCollection]::new()
        $null = $serverAuth.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($serverAuth, $false))
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
        $pfx = Join-Path $Folder 'emulator.pfx'
        $pem = Join-Path $Folder 'emulator.pem'
        [System.IO.File]::WriteAllBytes($pfx, $certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12))
        Set-Content -LiteralPath $pem -Value $certificate.ExportCertificatePem()
        [pscustomobject]@{ PfxPath = $pfx; PemPath = $pem }
    }
    finally {
        $rsa.Dispose()
    }
}

Export-ModuleMember -Function Test-ForwardProxyAvailable, Start-ForwardProxy, Get-ForwardProxyLog, Stop-ForwardProxy, New-LoopbackCertificate
