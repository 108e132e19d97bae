package org.mailadm.cli;

import dagger.Binds;
import dagger.Module;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;

/** Every command, under the name a user types. */
@Module
interface CommandsModule {
    @Binds
    @IntoMap
    @StringKey("init")
    Command init(InitCommand c);

    @Binds
    @IntoMap
    @StringKey("config")
    Command config(ConfigCommand c);

    @Binds
    @IntoMap
    @StringKey("backup")
    Command backup(BackupCommand c);

    @Binds
    @IntoMap
    @StringKey("add-token")
    Command addToken(AddTokenCommand c);

    @Binds
    @IntoMap
    @StringKey("mod-token")
    Command modToken(ModTokenCommand c);

    @Binds
    @IntoMap
    @StringKey("del-token")
    Command delToken(DelTokenCommand c);

    @Binds
    @IntoMap
    @StringKey("list-tokens")
    Command listTokens(ListTokensCommand c);

    @Binds
    @IntoMap
    @StringKey("gen-qr")
    Command genQr(GenQrCommand c);

    @Binds
    @IntoMap
    @StringKey("add-user")
    Command addUser(AddUserCommand c);

    @Binds
    @IntoMap
    @StringKey("del-user")
    Command delUser(DelUserCommand c);

    @Binds
    @IntoMap
    @StringKey("list-users")
    Command listUsers(ListUsersCommand c);

    @Binds
    @IntoMap
    @StringKey("prune")
    Command prune(PruneCommand c);

    @Binds
    @IntoMap
    @StringKey("migrate-db")
    Command migrateDb(MigrateDbCommand c);

    @Binds
    @IntoMap
    @StringKey("web")
    Command web(WebCommand c);

    @Binds
    @IntoMap
    @StringKey("demo")
    Command demo(DemoCommand c);

    @Binds
    @IntoMap
    @StringKey("rotate-token")
    Command rotateToken(RotateTokenCommand c);

    @Binds
    @IntoMap
    @StringKey("restore")
    Command restore(RestoreCommand c);

    @Binds
    @IntoMap
    @StringKey("reconcile")
    Command reconcile(ReconcileCommand c);

    @Binds
    @IntoMap
    @StringKey("audit")
    Command audit(AuditCommand c);
}
