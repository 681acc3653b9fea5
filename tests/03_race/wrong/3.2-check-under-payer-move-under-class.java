// Known-wrong answer to exercise 3.2: checks the balance holding the payer's monitor, lets go, then
// moves the money holding Account.class: between the two locks another transfer can pass the same check.
class Race {
    static boolean transfer(Account from, Account to, long amount) {
        synchronized (from) {
            if (from.balance < amount) return false;
        }
        synchronized (Account.class) {
            from.balance -= amount;
            to.balance += amount;
            return true;
        }
    }
}
