// Known-wrong answer to exercise 3.2: locks both accounts in a safe order to move the
// money, but checks the balance before taking the locks: check-then-act.
class Race {
    static boolean transfer(Account from, Account to, long amount) {
        if (from.balance < amount) return false;
        Account first = from.number < to.number ? from : to;
        Account second = first == from ? to : from;
        synchronized (first) {
            synchronized (second) {
                from.balance -= amount;
                to.balance += amount;
                return true;
            }
        }
    }
}
