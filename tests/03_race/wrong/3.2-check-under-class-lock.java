// Known-wrong answer to exercise 3.2: checks the balance holding Account.class, then moves the money
// holding both accounts: two different locks, so two transfers can both pass the check, then both pay.
class Race {
    static boolean transfer(Account from, Account to, long amount) {
        synchronized (Account.class) {
            if (from.balance < amount) return false;
        }
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
