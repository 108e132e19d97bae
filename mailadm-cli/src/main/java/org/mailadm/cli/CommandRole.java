package org.mailadm.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, once and on the command class, what a command needs ({@link Role}) and whether it may
 * run before the database exists. Every command carries it; {@code CommandRolesTest} checks that,
 * and that the launcher and the class-data trainings agree with it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface CommandRole {
    Role value();

    /** True for {@code init}, {@code demo} and {@code migrate-db}. */
    boolean createsDatabase() default false;
}
