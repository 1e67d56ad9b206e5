package com.example.yotohost;

import org.apache.camel.main.Main;

/** A host application: Camel Main finds its routes in this package; application.properties adds the keeper. */
public final class FamilyLibraryApp {

    private FamilyLibraryApp() {
    }

    public static void main(String[] args) throws Exception {
        new Main(FamilyLibraryApp.class).run(args);
    }
}
