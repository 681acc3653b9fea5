// Known-wrong answer to exercise 3.2: locks the payer, then the payee. A transfer from A
// to B and one from B to A can each hold one lock and wait for the other: deadlock.
class Race {
    static boolean transfer(Account from, Account to, long amount) {
        synchronized (from) {
            synchronized (to) {
                if (from.balance < amount) return false;
                from.balance -= amount;
                to.balance += amount;
                return true;
            }
        }
    }
}
