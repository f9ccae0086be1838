package io.celerypgmq.testkit.embedded;

import java.util.Locale;

/** The operating system and CPU, named the way the bundled binaries name them. */
record Platform(String os, String arch) {

    static Platform current() {
        return of(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    static Platform of(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os = name.startsWith("linux") ? "linux" : name.startsWith("mac") ? "darwin" : name;
        String arch =
                switch (osArch.toLowerCase(Locale.ROOT)) {
                    case "amd64", "x86_64" -> "x86_64";
                    case "aarch64", "arm64" -> "arm64";
                    default -> osArch.toLowerCase(Locale.ROOT);
                };
        return new Platform(os, arch);
    }

    @Override
    public String toString() {
        return os + "/" + arch;
    }
}
