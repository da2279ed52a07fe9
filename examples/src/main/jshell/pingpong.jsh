// twisted-csp's REPL session (its README, "Playing around in a REPL"), in Java.
// Run it with `./run jshell examples/src/main/jshell/pingpong.jsh`, or paste it line by line.
class Ball { int hits; }
void player(String name, Chan<Ball> table) {
    while (true) {
        Ball ball = table.take();
        if (ball == null) { // the table is closed
            System.out.println(name + " Ball's gone");
            break;
        }
        ball.hits++;
        System.out.println(name + " " + ball.hits);
        sleep(100);
        table.put(ball);
    }
}
void pingPong() {
    Chan<Ball> table = chan();
    go(() -> player("ping", table));
    go(() -> player("pong", table));
    table.put(new Ball());
    sleep(1000);
    table.close();
}
var game = go(() -> pingPong());
game.take(); // wait for the game; the players print "Ball's gone" right after
Thread.sleep(300);
/exit
