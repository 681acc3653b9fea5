// Known-wrong answer to exercise 6.1: ignores `capacity` and uses an unbounded
// LinkedBlockingQueue, so producers never wait and the backlog can grow without limit.
class Ipc {
    static java.util.concurrent.BlockingQueue<String> boundedQueue(int capacity) {
        return new java.util.concurrent.LinkedBlockingQueue<>();
    }
}
