// Known-wrong answer to exercise 3.2: locks only the payer's account. The credit to the
// payee races with other transfers that debit or credit that same account.
class Race {
    static boolean transfer(Account from, Account to, long amount) {
        synchronized (from) {
            if (from.balance < amount) return false;
            from.balance -= amount;
            to.balance += amount;
            return true;
        }
    }
}
