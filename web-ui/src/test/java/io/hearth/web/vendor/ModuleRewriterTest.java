package io.hearth.web.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleRewriterTest {

    private final ModuleRewriter rewriter = new ModuleRewriter(Map.of(
            "lit-html", new VendorPackage("lit-html", "lit-html", "lit-html.js"),
            "@lit/reactive-element", new VendorPackage("@lit/reactive-element", "lit__reactive-element", "reactive-element.js")),
            "/vendor");

    @Test
    void bareImportsOfKnownPackagesBecomeServedPaths() {
        String minified = "import{ReactiveElement as t}from\"@lit/reactive-element\";export*from\"lit-html\";"
                + "import\"lit-html/is-server.js\";const m=import('lit-html/directives/repeat.js');";
        assertThat(rewriter.rewrite(minified)).isEqualTo(
                "import{ReactiveElement as t}from\"/vendor/@lit/reactive-element/reactive-element.js\";"
                        + "export*from\"/vendor/lit-html/lit-html.js\";import\"/vendor/lit-html/is-server.js\";"
                        + "const m=import('/vendor/lit-html/directives/repeat.js');");
    }

    @Test
    void relativeImportsAndUnknownPackagesAreLeftAlone() {
        String module = "import { x } from './css-tag.js';\nimport y from \"../z.js\";\nimport w from 'left-pad';";
        assertThat(rewriter.rewrite(module)).isEqualTo(module);
    }

    @Test
    void proseThatSaysFromInQuotesIsLeftAlone() {
        String module = "// is a \"from\" band edge\nlet a = 1; // the \"from\" side";
        assertThat(rewriter.rewrite(module)).isEqualTo(module);
    }
}
