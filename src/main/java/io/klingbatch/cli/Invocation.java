package io.klingbatch.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * "Run the same command again", spelled out so it can be pasted: {@code java [-D settings] -jar <jar> <arguments>}.
 * System properties that could hold a secret are left out.
 */
final class Invocation {

    private Invocation() {
    }

    static String of(Path workingDirectory, List<String> arguments) {
        List<String> words = new ArrayList<>();
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            words.add("java");
            for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                String lower = argument.toLowerCase(Locale.ROOT);
                if (argument.startsWith("-D") && !lower.contains("password") && !lower.contains("secret")
                        && !lower.contains("key") && !lower.contains("token")) {
                    words.add(quote(argument));
                }
            }
            words.add("-jar");
            Path jar = Path.of(classPath).toAbsolutePath().normalize();
            words.add(quote(jar.startsWith(workingDirectory) ? workingDirectory.relativize(jar).toString() : jar.toString()));
        } else {
            words.add("kling-batch");
        }
        arguments.forEach(argument -> words.add(quote(argument)));
        return String.join(" ", words);
    }

    private static String quote(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
