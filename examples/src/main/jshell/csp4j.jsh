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
