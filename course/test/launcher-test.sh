#!/bin/sh
# The ./jbang launcher's tests, in TAP for verify: it works from any folder and from a folder
# whose name has spaces, passes arguments through untouched (quotes, spaces, $), returns the
# script's exit code, and finds a JDK 25 when JAVA_HOME names an older one.
# Run from the course's root: sh course/test/launcher-test.sh
set -u

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd -P)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/launcher test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
number=0
failed=0

ok() {
  number=$((number + 1))
  echo "ok $number - $1"
}

not_ok() {
  number=$((number + 1))
  failed=$((failed + 1))
  echo "not ok $number - $1"
  printf '%s\n' "$2" | sed 's/^/  /'
}

# A script that prints its JDK's feature release, then each argument on its own line, and
# exits with the code in EXIT_WITH (0 if unset).
mkdir -p "$WORK/a folder"
cat > "$WORK/a folder/Args.java" <<'EOF'
//JAVA 25+
class Args {
    public static void main(String[] args) {
        System.out.println("java " + Runtime.version().feature());
        for (String arg : args) System.out.println("[" + arg + "]");
        System.exit(Integer.parseInt(System.getenv().getOrDefault("EXIT_WITH", "0")));
    }
}
EOF

# 1. Arguments arrive as they were typed.
out=$(cd "$WORK" && "$ROOT/jbang" "a folder/Args.java" "two words" "it's" '$HOME' '' 'a"b' 2>&1)
expected='java 25
[two words]
[it'"'"'s]
[$HOME]
[]
[a"b]'
got=$(printf '%s\n' "$out" | grep -v '^\[jbang\]' | grep -v '^\./jbang:')
if [ "$got" = "$expected" ]; then ok "arguments with spaces, quotes, \$ and empty ones arrive untouched"
else not_ok "arguments with spaces, quotes, \$ and empty ones arrive untouched" "got:
$out"; fi

# 2. The script's exit code is the launcher's.
(cd "$WORK" && EXIT_WITH=3 "$ROOT/jbang" "a folder/Args.java" >/dev/null 2>&1)
code=$?
if [ "$code" -eq 3 ]; then ok "the script's exit code (3) is the launcher's"
else not_ok "the script's exit code (3) is the launcher's" "exit code $code"; fi

# 3. The course's commands work from a folder outside the course.
out=$(cd "$WORK" && "$ROOT/jbang" check --help 2>&1)
code=$?
if [ "$code" -eq 0 ] && printf '%s' "$out" | grep -q 'Usage: course check'; then
  ok "./jbang check works from a folder outside the course"
else not_ok "./jbang check works from a folder outside the course" "exit code $code:
$out"; fi

# 4. ... and from a folder inside it.
out=$(cd "$ROOT/lessons" && ../jbang hint --help 2>&1)
code=$?
if [ "$code" -eq 0 ] && printf '%s' "$out" | grep -q 'Usage: course hint'; then
  ok "../jbang hint works from lessons/"
else not_ok "../jbang hint works from lessons/" "exit code $code:
$out"; fi

# 4b. With JBang installed on the PATH (here: the JBang the launcher fetched, behind a `jbang`
#     script that speaks JBang's launcher protocol, as JBang's own script does), the commands
#     work the same: `jbang hint` in the course, and ./jbang from outside it.
lib=$(ls -d "$ROOT"/.bootstrap/jbang-*/lib 2>/dev/null | head -n 1)
java25=$(cat "$ROOT/.bootstrap/jdk" 2>/dev/null || true)
[ -n "$java25" ] || java25=${JAVA_HOME:-}
if [ -n "$lib" ] && [ -x "$java25/bin/java" ]; then
  mkdir -p "$WORK/bin"
  cat > "$WORK/bin/jbang" <<EOF
#!/bin/sh
output=\$("$java25/bin/java" -classpath "$lib/*" dev.jbang.Main "\$@")
status=\$?
[ "\$status" -eq 255 ] && eval "exec \$output"
[ -n "\$output" ] && printf '%s\n' "\$output"
exit "\$status"
EOF
  chmod +x "$WORK/bin/jbang"
  out=$(cd "$ROOT" && PATH="$WORK/bin:$PATH" jbang hint --help 2>&1)
  if printf '%s' "$out" | grep -q 'Usage: course hint'; then ok "an installed jbang runs the course's aliases (jbang hint --help)"
  else not_ok "an installed jbang runs the course's aliases (jbang hint --help)" "$out"; fi
  out=$(cd "$WORK" && PATH="$WORK/bin:$PATH" JAVA_HOME="$java25" "$ROOT/jbang" check --help 2>&1)
  if printf '%s' "$out" | grep -q 'Usage: course check'; then
    ok "./jbang hands over to an installed jbang, from outside the course too"
  else not_ok "./jbang hands over to an installed jbang, from outside the course too" "$out"; fi
else
  ok "an installed jbang runs the course's aliases # SKIP no bootstrapped JBang to install"
fi

# 5. A course in a folder whose name has spaces (a copy of the launcher and its JBang).
if [ -d "$ROOT/.bootstrap" ]; then
  mkdir -p "$WORK/my course/.bootstrap"
  cp "$ROOT/jbang" "$WORK/my course/jbang"
  cp -R "$ROOT"/.bootstrap/jbang-* "$WORK/my course/.bootstrap/" 2>/dev/null
  rm -f "$WORK/my course/.bootstrap/"*.jsa
  out=$(cd "$WORK" && "$WORK/my course/jbang" "a folder/Args.java" "x y" 2>&1)
  out2=$(cd "$WORK" && "$WORK/my course/jbang" "a folder/Args.java" "x y" 2>&1)
  if printf '%s' "$out2" | grep -qx '\[x y\]' && [ -f "$WORK/my course/.bootstrap/jbang-0.132.1.jsa" ]; then
    ok "a course in a folder with spaces runs, and its class-data archive is made and used"
  else not_ok "a course in a folder with spaces runs, and its class-data archive is made and used" "first run:
$out
second run:
$out2"; fi
else
  ok "a course in a folder with spaces runs # SKIP no .bootstrap/ (JBang is installed on the PATH)"
fi

# 6. The kept command: used while nothing changed, dropped as soon as anything it came from did.
course="$WORK/my course"
if [ -d "$course/.bootstrap" ]; then
  mkdir -p "$course/lessons"
  printf '%s\n' '//JAVA 25+' 'class Hello {' '    public static void main(String[] args) {' \
    '        System.out.println("hello " + String.join(",", args));' '    }' '}' > "$course/lessons/Hello.java"
  run_hello() { (cd "$course" && COURSE_LAUNCHER_TRACE=1 "$@" ./jbang lessons/Hello.java "a b" "" 2>&1); }
  expect_run() { # name, expected line, expected trace words, output
    if printf '%s\n' "$4" | grep -qx "$2" && printf '%s' "$4" | grep -q "$3"; then ok "$1"
    else not_ok "$1" "expected the line '$2' and '$3' in:
$4"; fi
  }
  run_hello env >/dev/null
  expect_run "the second start of an unchanged lesson does not ask JBang" "hello a b," "kept command" "$(run_hello env)"
  sed -i.bak 's/"hello "/"changed "/' "$course/lessons/Hello.java"
  expect_run "a changed lesson is picked up at once" "changed a b," "asking JBang" "$(run_hello env)"
  sed -i.bak 's/"changed "/com.google.gson.JsonParser.class.getSimpleName() + " "/' "$course/lessons/Hello.java"
  printf '%s\n' '//DEPS com.google.code.gson:gson:2.13.1' >> "$course/lessons/Hello.java"
  expect_run "a new //DEPS is picked up at once" "JsonParser a b," "asking JBang" "$(run_hello env)"
  jdk25=""
  for home in ${JAVA_HOME:-} /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then jdk25=$home; break; fi
  done
  if [ -n "$jdk25" ]; then
    ln -s "$jdk25" "$WORK/another-jdk"
    expect_run "another JDK (JAVA_HOME) is picked up at once" "JsonParser a b," "asking JBang" \
      "$(run_hello env JAVA_HOME="$WORK/another-jdk")"
  else
    ok "another JDK (JAVA_HOME) is picked up at once # SKIP no JDK 25 found by path"
  fi
  run_hello env >/dev/null
  jar=$(sed -n 2p "$course"/.bootstrap/launch/* 2>/dev/null | tr ' :' '\n\n' | grep 'Hello.jar$' | head -n 1)
  [ -n "$jar" ] && rm -f "$jar"
  expect_run "a jar gone from JBang's cache sends the launcher back to JBang" "JsonParser a b," "asking JBang" \
    "$(run_hello env)"
  if [ -n "$(find "$course/.bootstrap/launch" -name '*.jsa' -newer "$course/lessons/Hello.java")" ]; then
    ok "a kept command gets a class-data archive of its own, made again for a new command"
  else not_ok "a kept command gets a class-data archive of its own, made again for a new command" \
    "$(ls -la --time-style=full-iso "$course/.bootstrap/launch" "$course/lessons/Hello.java")"; fi
  out=$(run_hello env COURSE_LAUNCHER_CACHE=off)
  if printf '%s\n' "$out" | grep -qx "JsonParser a b," && ! printf '%s' "$out" | grep -q "kept command\|asking JBang"; then
    ok "COURSE_LAUNCHER_CACHE=off leaves it all to JBang"
  else not_ok "COURSE_LAUNCHER_CACHE=off leaves it all to JBang" "$out"; fi
fi

# 6b. `hint N.M` is answered from the texts the tool kept, in order, without a JVM, and only while
#     nothing they came from changed. The launcher's part, with texts put where it looks:
if [ -d "$course/.bootstrap" ]; then
  printf 'v1\n' > "$course/course.yaml"
  mkdir -p "$course/course" "$course/solutions"
  hint() { (cd "$course" && COURSE_LAUNCHER_TRACE=1 "$@" ./jbang hint 9.9 2>&1); }
  kept=$(hint env | sed -n 's/^\.\/jbang: hint 9\.9: nothing kept in //p')
  if [ -n "$kept" ]; then
    mkdir -p "$kept"
    printf '2\n' > "$kept/9.9.count"
    printf 'first hint\n' > "$kept/9.9.1"
    printf 'second hint\n' > "$kept/9.9.2"
    got="$(hint env | grep hint$) / $(hint env | grep hint$) / $(hint env | grep hint$)"
    if [ "$got" = "first hint / second hint / second hint" ] && [ "$(cat "$course/.course/hints/9.9")" = 2 ]; then
      ok "hint N.M is answered from the kept texts, one more each time, without a JVM"
    else not_ok "hint N.M is answered from the kept texts, one more each time, without a JVM" "got: $got"; fi
    printf 'v2\n' > "$course/course.yaml"
    if hint env | grep -q "nothing kept"; then ok "a changed course.yaml is picked up at once by hint"
    else not_ok "a changed course.yaml is picked up at once by hint" "$(hint env)"; fi
    printf 'v1\n' > "$course/course.yaml"
    if ! hint env COURSE_LAUNCHER_CACHE=off | grep -q "hint\$"; then ok "COURSE_LAUNCHER_CACHE=off: hint asks the tool"
    else not_ok "COURSE_LAUNCHER_CACHE=off: hint asks the tool" "$(hint env COURSE_LAUNCHER_CACHE=off)"; fi
  else
    not_ok "hint N.M is answered from the kept texts" "the launcher did not say where it looks: $(hint env)"
  fi
fi

# 6c. The tool keeps the very text it prints: the next hint, from the launcher, is what the tool
#     would have printed (this course's own hint 1.1; the count of hints shown is put back after).
state="$ROOT/.course/hints/1.1"
saved=$(cat "$state" 2>/dev/null || true)
mkdir -p "$ROOT/.course/hints"
printf '0\n' > "$state"
(cd "$ROOT" && ./jbang hint 1.1 >/dev/null 2>&1)
fast=$(cd "$ROOT" && COURSE_LAUNCHER_TRACE=1 ./jbang hint 1.1 2>"$WORK/trace")
printf '1\n' > "$state"
slow=$(cd "$ROOT" && COURSE_LAUNCHER_CACHE=off ./jbang hint 1.1 2>/dev/null)
if [ -n "$saved" ]; then printf '%s\n' "$saved" > "$state"; else rm -f "$state"; fi
if grep -q "no JVM" "$WORK/trace" && [ "$fast" = "$slow" ] && printf '%s' "$fast" | grep -q "Hint 2 of"; then
  ok "the launcher's hint is the tool's own text, to the byte"
else not_ok "the launcher's hint is the tool's own text, to the byte" "launcher:
$fast
$(cat "$WORK/trace")
tool:
$slow"; fi

# 7. A JAVA_HOME older than 25 does not stop it: the launcher finds a JDK 25.
old=""
for home in /usr/lib/jvm/*; do
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
  if [ -n "$major" ] && [ "$major" -lt 25 ] && [ -x "$home/bin/java" ]; then old=$home; break; fi
done
if [ -n "$old" ]; then
  out=$(cd "$WORK" && JAVA_HOME=$old "$ROOT/jbang" "a folder/Args.java" 2>&1)
  if printf '%s' "$out" | grep -qx 'java 2[5-9]'; then ok "with JAVA_HOME=$old (older), a JDK 25+ runs the script"
  else not_ok "with JAVA_HOME=$old (older), a JDK 25+ runs the script" "$out"; fi
else
  ok "with an older JAVA_HOME, a JDK 25+ runs the script # SKIP no older JDK in /usr/lib/jvm"
fi

# 8. A name that is neither a file nor an alias fails with JBang's message, not silently.
out=$(cd "$WORK" && "$ROOT/jbang" no-such-alias-here 2>&1)
code=$?
if [ "$code" -ne 0 ] && printf '%s' "$out" | grep -q 'could not be found'; then
  ok "an unknown name fails (exit code $code) and says so"
else not_ok "an unknown name fails and says so" "exit code $code:
$out"; fi

echo "1..$number"
[ "$failed" -eq 0 ]
