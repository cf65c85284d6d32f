package io.hearth.web.vendor;

/**
 * A browser library the UI uses, as its WebJar holds it.
 *
 * @param specifier the name modules import it by, e.g. {@code lit} or {@code @lit/reactive-element}
 * @param artifact the WebJar's artifact id, which is also its folder under {@code META-INF/resources/webjars}
 * @param entry the file a bare {@code import "specifier"} means (the package's main export)
 */
record VendorPackage(String specifier, String artifact, String entry) {
}
