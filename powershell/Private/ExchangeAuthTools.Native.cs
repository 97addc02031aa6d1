// ExchangeAuthTools native interop: the managed side of the C ABI in include/exchange_auth_tools.h.
//
// The module passes this exact file to Add-Type (Windows PowerShell 5.1 compiles it with the
// .NET Framework C# 5 compiler; PowerShell 7 with Roslyn), and tests/mono_interop.rs compiles it with
// `mcs -langversion:5` and drives the real cdylib through it. Keep it at C# 5: no string
// interpolation, no expression-bodied members, no ?., no nameof, no out var; .NET Framework 4.x APIs only.
//
// Loading (why not DllImport of the library itself): the library's location is data (the module
// folder, chosen at import), but a DllImport name is a compile-time constant and an Add-Type type
// lives for the whole session. A bare name plus a preload works on Windows (LoadLibrary matches a
// loaded module by base name) but not on Linux/macOS (dlopen of a bare name does not find a library
// loaded by path: the cdylib has no SONAME / install name to match). An absolute-path DllImport would
// bake the first path into the session forever, so a re-import from another folder would still call
// the old file. So: the OS loader (LoadLibraryExW / dlopen) opens the absolute path, the exports are
// looked up (GetProcAddress / dlsym) and called through Cdecl delegates. Same code on 5.1, 7 and Mono.
//
// Memory: every eat_buffer the library returns is copied into a managed string and freed in a
// finally block; a Job frees its handle in Dispose (which the library treats as cancel + free).
// The library is never unloaded (it may still run a job's reader thread; unloading is unsafe).

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeAuthTools.Native.V1
{
    /// <summary>eat_status: values match the C enum and are never reused.</summary>
    public enum EatStatus : uint
    {
        Ok = 0,
        Error = 1,
        NullArgument = 2,
        InvalidUtf8 = 3,
        InvalidRequest = 4,
        Cancelled = 5,
        Panic = 6,
        JobDone = 7
    }

    /// <summary>A failed call: the status and the library's JSON error body
    /// ({"code","category","message","target","file","line"}), which PowerShell turns into an ErrorRecord.</summary>
    public class EatException : Exception
    {
        private readonly EatStatus status;
        private readonly string errorJson;
        private readonly string function;

        public EatException(EatStatus status, string function, string errorJson)
            : base(function + " returned " + status + ": " + errorJson)
        {
            this.status = status;
            this.function = function;
            this.errorJson = errorJson;
        }

        public EatStatus Status { get { return status; } }
        public string Function { get { return function; } }
        public string ErrorJson { get { return errorJson; } }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate uint AbiVersionFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate IntPtr BufferDataFn(IntPtr buffer);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate UIntPtr BufferLenFn(IntPtr buffer);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void BufferFreeFn(IntPtr buffer);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate uint CallFn(byte[] request, UIntPtr requestLen, out IntPtr output);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate uint JobStartFn(byte[] request, UIntPtr requestLen, out IntPtr job, out IntPtr error);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate uint JobNextFn(IntPtr job, UIntPtr maxItems, out IntPtr output);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate uint JobOutFn(IntPtr job, out IntPtr output);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate uint JobCancelFn(IntPtr job);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void JobFreeFn(IntPtr job);

    internal static class WindowsLoader
    {
        private const uint LOAD_WITH_ALTERED_SEARCH_PATH = 0x8;

        [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryExW(string path, IntPtr file, uint flags);

        [DllImport("kernel32.dll", CharSet = CharSet.Ansi, SetLastError = true, BestFitMapping = false)]
        private static extern IntPtr GetProcAddress(IntPtr module, string name);

        public static IntPtr Open(string path)
        {
            IntPtr h = LoadLibraryExW(path, IntPtr.Zero, LOAD_WITH_ALTERED_SEARCH_PATH);
            if (h == IntPtr.Zero)
            {
                throw new DllNotFoundException(path + ": " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
            }
            return h;
        }

        public static IntPtr Symbol(IntPtr module, string name)
        {
            return GetProcAddress(module, name);
        }
    }

    internal static class LinuxLoader
    {
        [DllImport("libdl.so.2", CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern IntPtr dlopen(string path, int flags);

        [DllImport("libdl.so.2", CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern IntPtr dlsym(IntPtr handle, string name);

        [DllImport("libdl.so.2")]
        public static extern IntPtr dlerror();
    }

    internal static class MacLoader
    {
        [DllImport("/usr/lib/libSystem.B.dylib", CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern IntPtr dlopen(string path, int flags);

        [DllImport("/usr/lib/libSystem.B.dylib", CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern IntPtr dlsym(IntPtr handle, string name);

        [DllImport("/usr/lib/libSystem.B.dylib")]
        public static extern IntPtr dlerror();
    }

    /// <summary>Opens a native library by absolute path and looks up its exports.</summary>
    internal sealed class OsLibrary
    {
        private const int RTLD_NOW = 2;
        private readonly IntPtr handle;
        private readonly bool windows;
        private readonly bool mac;
        private readonly string path;

        public OsLibrary(string path)
        {
            this.path = path;
            windows = Environment.OSVersion.Platform == PlatformID.Win32NT;
            if (windows)
            {
                handle = WindowsLoader.Open(path);
                return;
            }
            // Linux (glibc) has libdl.so.2; macOS has no such file, so that DllImport fails and the
            // libSystem one is used (a path inside the dyld shared cache since macOS 11: it does not
            // exist on disk, but dlopen resolves it, so no File.Exists test here).
            IntPtr h = IntPtr.Zero;
            bool linuxLoader = true;
            try
            {
                h = LinuxLoader.dlopen(path, RTLD_NOW);
            }
            catch (DllNotFoundException)
            {
                linuxLoader = false;
            }
            catch (EntryPointNotFoundException)
            {
                linuxLoader = false;
            }
            if (linuxLoader)
            {
                if (h == IntPtr.Zero)
                {
                    throw new DllNotFoundException(path + ": " + Marshal.PtrToStringAnsi(LinuxLoader.dlerror()));
                }
                handle = h;
                return;
            }
            mac = true;
            h = MacLoader.dlopen(path, RTLD_NOW);
            if (h == IntPtr.Zero)
            {
                throw new DllNotFoundException(path + ": " + Marshal.PtrToStringAnsi(MacLoader.dlerror()));
            }
            handle = h;
        }

        public T Function<T>(string name) where T : class
        {
            IntPtr p;
            if (windows)
            {
                p = WindowsLoader.Symbol(handle, name);
            }
            else if (mac)
            {
                p = MacLoader.dlsym(handle, name);
            }
            else
            {
                p = LinuxLoader.dlsym(handle, name);
            }
            if (p == IntPtr.Zero)
            {
                throw new EntryPointNotFoundException(path + " does not export " + name);
            }
            return Marshal.GetDelegateForFunctionPointer(p, typeof(T)) as T;
        }
    }

    /// <summary>The loaded ExchangeAuthTools library: one instance per absolute path per session.</summary>
    public sealed class EatLibrary
    {
        private static readonly Dictionary<string, EatLibrary> Loaded = new Dictionary<string, EatLibrary>(StringComparer.Ordinal);
        private static readonly object LoadLock = new object();
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, false);

        private readonly string path;
        internal readonly AbiVersionFn AbiVersionNative;
        internal readonly BufferDataFn BufferData;
        internal readonly BufferLenFn BufferLen;
        internal readonly BufferFreeFn BufferFree;
        internal readonly CallFn CallNative;
        internal readonly JobStartFn JobStart;
        internal readonly JobNextFn JobNext;
        internal readonly JobOutFn JobProgress;
        internal readonly JobCancelFn JobCancel;
        internal readonly JobOutFn JobSummary;
        internal readonly JobFreeFn JobFree;

        private EatLibrary(string path)
        {
            this.path = path;
            OsLibrary lib = new OsLibrary(path);
            AbiVersionNative = lib.Function<AbiVersionFn>("eat_abi_version");
            BufferData = lib.Function<BufferDataFn>("eat_buffer_data");
            BufferLen = lib.Function<BufferLenFn>("eat_buffer_len");
            BufferFree = lib.Function<BufferFreeFn>("eat_buffer_free");
            CallNative = lib.Function<CallFn>("eat_call");
            JobStart = lib.Function<JobStartFn>("eat_job_start");
            JobNext = lib.Function<JobNextFn>("eat_job_next");
            JobProgress = lib.Function<JobOutFn>("eat_job_progress");
            JobCancel = lib.Function<JobCancelFn>("eat_job_cancel");
            JobSummary = lib.Function<JobOutFn>("eat_job_summary");
            JobFree = lib.Function<JobFreeFn>("eat_job_free");
        }

        /// <summary>Load the library at an absolute path (once per path per session).</summary>
        public static EatLibrary Load(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException("path");
            }
            lock (LoadLock)
            {
                EatLibrary lib;
                if (!Loaded.TryGetValue(path, out lib))
                {
                    lib = new EatLibrary(path);
                    Loaded[path] = lib;
                }
                return lib;
            }
        }

        public string Path { get { return path; } }

        public uint AbiVersion()
        {
            return AbiVersionNative();
        }

        /// <summary>One-shot operation: request JSON in, result JSON out; throws EatException on failure.</summary>
        public string Call(string requestJson)
        {
            byte[] request = Encode(requestJson);
            IntPtr output = IntPtr.Zero;
            uint status = CallNative(request, new UIntPtr((uint)request.Length), out output);
            string text = TakeBuffer(output);
            if (status != (uint)EatStatus.Ok)
            {
                throw Failure(status, "eat_call", text);
            }
            return text;
        }

        /// <summary>Start a streaming operation; dispose the Job when done (it cancels a running job).</summary>
        public Job StartJob(string requestJson)
        {
            byte[] request = Encode(requestJson);
            IntPtr job = IntPtr.Zero;
            IntPtr error = IntPtr.Zero;
            uint status = JobStart(request, new UIntPtr((uint)request.Length), out job, out error);
            string text = TakeBuffer(error);
            if (status != (uint)EatStatus.Ok || job == IntPtr.Zero)
            {
                if (job != IntPtr.Zero)
                {
                    JobFree(job);
                }
                throw Failure(status, "eat_job_start", text);
            }
            return new Job(this, job);
        }

        internal static byte[] Encode(string json)
        {
            if (json == null)
            {
                throw new ArgumentNullException("json");
            }
            return Utf8.GetBytes(json);
        }

        /// <summary>Copy a library buffer into a string and free it (NULL gives null).</summary>
        internal string TakeBuffer(IntPtr buffer)
        {
            if (buffer == IntPtr.Zero)
            {
                return null;
            }
            try
            {
                IntPtr data = BufferData(buffer);
                ulong len = BufferLen(buffer).ToUInt64();
                if (data == IntPtr.Zero || len == 0)
                {
                    return string.Empty;
                }
                if (len > int.MaxValue)
                {
                    throw new InvalidOperationException("eat_buffer of " + len + " bytes is larger than a managed array");
                }
                byte[] bytes = new byte[(int)len];
                Marshal.Copy(data, bytes, 0, (int)len);
                return Utf8.GetString(bytes);
            }
            finally
            {
                BufferFree(buffer);
            }
        }

        /// <summary>An EatException for a failed status. When the library gave no body (e.g. a NULL
        /// out-pointer), one is made so that callers always get the same JSON shape.</summary>
        internal static EatException Failure(uint status, string function, string body)
        {
            EatStatus s = (EatStatus)status;
            if (string.IsNullOrEmpty(body))
            {
                body = "{\"code\":\"" + CodeOf(s) + "\",\"category\":\"NotSpecified\",\"message\":\"" + function +
                    " returned status " + status + " without an error body\",\"target\":null,\"file\":null,\"line\":null}";
            }
            return new EatException(s, function, body);
        }

        private static string CodeOf(EatStatus s)
        {
            switch (s)
            {
                case EatStatus.NullArgument:
                    return "null_argument";
                case EatStatus.InvalidUtf8:
                    return "invalid_utf8";
                case EatStatus.InvalidRequest:
                    return "invalid_request";
                case EatStatus.Cancelled:
                    return "cancelled";
                case EatStatus.Panic:
                    return "panic";
                default:
                    return "native_status_" + (uint)s;
            }
        }
    }

    /// <summary>A running streaming operation. Not for concurrent use, except Cancel, which may be
    /// called from any thread (e.g. a Ctrl+C handler) while NextBatch runs.</summary>
    public sealed class Job : IDisposable
    {
        private sealed class NextResult
        {
            public uint Status;
            public string Text;
            public Exception Failure;
        }

        private readonly EatLibrary lib;
        private readonly object handleLock = new object();
        private IntPtr handle;
        private bool done;
        private Task<NextResult> pending;

        internal Job(EatLibrary lib, IntPtr handle)
        {
            this.lib = lib;
            this.handle = handle;
        }

        /// <summary>True once NextBatch has seen EAT_JOB_DONE.</summary>
        public bool IsDone { get { return done; } }

        /// <summary>The next JSON array of at most maxItems items, or null when the job is finished.
        /// Blocks until the library has at least one item.</summary>
        public string NextBatch(int maxItems)
        {
            return NextBatch(maxItems, Timeout.Infinite);
        }

        /// <summary>Like NextBatch(maxItems), but waits at most waitMilliseconds: returns an empty
        /// string when nothing arrived in time (call again; the request stays pending). This keeps a
        /// PowerShell loop responsive to Ctrl+C and progress while the library reads a long stretch
        /// of input that yields no item (e.g. modern sign-ins skipped by a legacy-only scan).</summary>
        public string NextBatch(int maxItems, int waitMilliseconds)
        {
            if (maxItems < 1)
            {
                throw new ArgumentOutOfRangeException("maxItems", "must be at least 1");
            }
            if (done)
            {
                return null;
            }
            NextResult result;
            if (pending == null && waitMilliseconds == Timeout.Infinite)
            {
                result = CallNext(Handle(), maxItems);
            }
            else
            {
                if (pending == null)
                {
                    IntPtr h = Handle();
                    pending = Task.Factory.StartNew(delegate { return CallNext(h, maxItems); },
                        CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                }
                if (!pending.Wait(waitMilliseconds))
                {
                    return string.Empty;
                }
                result = pending.Result;
                pending = null;
            }
            if (result.Failure != null)
            {
                throw result.Failure;
            }
            if (result.Status == (uint)EatStatus.JobDone)
            {
                done = true;
                return null;
            }
            if (result.Status != (uint)EatStatus.Ok)
            {
                throw EatLibrary.Failure(result.Status, "eat_job_next", result.Text);
            }
            return result.Text;
        }

        private NextResult CallNext(IntPtr h, int maxItems)
        {
            NextResult r = new NextResult();
            try
            {
                IntPtr output = IntPtr.Zero;
                r.Status = lib.JobNext(h, new UIntPtr((uint)maxItems), out output);
                r.Text = lib.TakeBuffer(output);
            }
            catch (Exception e)
            {
                r.Failure = e;
            }
            return r;
        }

        /// <summary>The job's progress JSON (activity, current, items, bytesDone, bytesTotal, done).</summary>
        public string Progress()
        {
            return Read(lib.JobProgress, "eat_job_progress");
        }

        /// <summary>The end-of-run JSON (stats, problems).</summary>
        public string Summary()
        {
            return Read(lib.JobSummary, "eat_job_summary");
        }

        /// <summary>Ask the job to stop; honoured within one batch. Safe from any thread; a no-op after Dispose.</summary>
        public void Cancel()
        {
            lock (handleLock)
            {
                if (handle == IntPtr.Zero)
                {
                    return;
                }
                uint status = lib.JobCancel(handle);
                if (status != (uint)EatStatus.Ok)
                {
                    throw EatLibrary.Failure(status, "eat_job_cancel", null);
                }
            }
        }

        /// <summary>Free the job (the library cancels it first if it is still running). A NextBatch
        /// still pending in the background is cancelled and waited for first: free must not race next.</summary>
        public void Dispose()
        {
            lock (handleLock)
            {
                if (handle == IntPtr.Zero)
                {
                    return;
                }
                Task<NextResult> waiting = pending;
                if (waiting != null)
                {
                    lib.JobCancel(handle);
                    waiting.Wait();
                    pending = null;
                }
                lib.JobFree(handle);
                handle = IntPtr.Zero;
            }
        }

        private IntPtr Handle()
        {
            IntPtr h = handle;
            if (h == IntPtr.Zero)
            {
                throw new ObjectDisposedException("ExchangeAuthTools.Native.V1.Job");
            }
            return h;
        }

        private string Read(JobOutFn fn, string name)
        {
            IntPtr output = IntPtr.Zero;
            uint status = fn(Handle(), out output);
            string text = lib.TakeBuffer(output);
            if (status != (uint)EatStatus.Ok)
            {
                throw EatLibrary.Failure(status, name, text);
            }
            return text;
        }
    }
}
