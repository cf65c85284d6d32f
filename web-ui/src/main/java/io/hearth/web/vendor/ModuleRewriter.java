package io.hearth.web.vendor;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bare specifiers in a library's ES module ({@code import "lit-html"}) into paths the hub
 * serves ({@code /vendor/lit-html/lit-html.js}). Browsers resolve bare specifiers only through an
 * import map, and an import map is an inline script, which the UI's Content-Security-Policy forbids;
 * rewriting on the way out keeps both the policy and the untouched WebJars.
 */
final class ModuleRewriter {

    /** {@code from "x"}, {@code import "x"} and {@code import("x")}, as minified and unminified code write them. */
    private static final Pattern SPECIFIER = Pattern.compile("(\\bfrom\\s*|\\bimport\\s*\\(?\\s*)([\"'])([^\"'./\\s][^\"'\\s]*)\\2");

    private final Map<String, VendorPackage> packages;
    private final String prefix;

    /** @param prefix the URL path the packages are served under, without a trailing slash */
    ModuleRewriter(Map<String, VendorPackage> packages, String prefix) {
        this.packages = Map.copyOf(packages);
        this.prefix = prefix;
    }

    String rewrite(String module) {
        Matcher matcher = SPECIFIER.matcher(module);
        StringBuilder out = new StringBuilder(module.length() + 256);
        while (matcher.find()) {
            String resolved = resolve(matcher.group(3));
            String replacement = resolved == null ? matcher.group()
                    : matcher.group(1) + matcher.group(2) + resolved + matcher.group(2);
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The served path of a bare specifier, or null when it names no package of ours (left as it is). */
    String resolve(String specifier) {
        VendorPackage whole = packages.get(specifier);
        if (whole != null) {
            return prefix + "/" + whole.specifier() + "/" + whole.entry();
        }
        for (VendorPackage p : packages.values()) {
            if (specifier.startsWith(p.specifier() + "/")) {
                return prefix + "/" + specifier;
            }
        }
        return null;
    }
}
