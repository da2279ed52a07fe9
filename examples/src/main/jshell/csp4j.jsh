// csp4j in JShell: `./run jshell` loads this after JShell's DEFAULT startup (java.util.*,
// java.util.concurrent.*, java.util.function.*, ...). Processes park in loop mode, on the ForkJoin
// default; go(...) works from the REPL thread, and channel operations block it like any thread.
import static io.csp4j.Csp.*;
import io.csp4j.AltOp;
import io.csp4j.AltResult;
import io.csp4j.Buffer;
import io.csp4j.Buffers;
import io.csp4j.Chan;
import io.csp4j.ChanBuilder;
import io.csp4j.Channel;
import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import io.csp4j.ReadPort;
import io.csp4j.WritePort;
import io.csp4j.Xform;
import java.time.Duration;
import io.csp4j.Diagnostics;
import io.csp4j.ProcessInfo;

// Seeing what the processes do (README "Seeing what processes do"):
// ps()   one line per live process: id, name, state, the operation and channel it is parked on, for how long;
// dump() the same with each process's stack, like a thread dump (Diagnostics.dump()).
void ps() { Diagnostics.processes().forEach(System.out::println); }
void dump() { System.out.print(Diagnostics.dump()); }
