// Known-wrong answer to exercise 3.2: checks and moves the money with no lock at all, so
// concurrent debits and credits of one account overwrite each other.
class Race {
    static boolean transfer(Account from, Account to, long amount) {
        if (from.balance < amount) return false;
        from.balance -= amount;
        to.balance += amount;
        return true;
    }
}
