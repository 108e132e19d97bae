package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.DcLogin;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.token.TokenName;
import org.mailadm.qr.QrImages;

@Parameters(commandDescription = "Create an account in mailcow and the database")
@CommandRole(Role.MAILCOW)
final class AddUserCommand extends BaseCommand {

    @Parameter(description = "ADDR")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--password", description = "The password [default: generated, 160 bits]")
    String password;

    @Parameter(
            names = "--token",
            description =
                    "The token to count the account against [default: the token whose prefix matches ADDR, longest first]")
    String token;

    @Parameter(names = "--dryrun", description = "Only show what would be created")
    boolean dryRun;

    @Parameter(
            names = "--qr",
            description = "Also print a dclogin: QR code with the address and password, to hand the account over")
    boolean qr;

    @Parameter(
            names = "--qr-output",
            description = "Write that QR code as a PNG to this file (mode 0600: it holds the password)")
    String qrOutput;

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<AccountCreation> creation;
    private final Output output;

    @Inject
    AddUserCommand(Lazy<AccountCreation> creation, Output output) {
        this.creation = creation;
        this.output = output;
    }

    @Override
    public int run() {
        EmailAddress address = Arguments.address(Arguments.single(args, "ADDR"));
        Optional<TokenName> t = Optional.ofNullable(token).map(Arguments::tokenName);
        Optional<Password> pw;
        try {
            pw = Optional.ofNullable(password).map(Password::new);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid --password: " + e.getMessage());
        }
        return switch (creation.get().createForAdmin(address, t, pw, dryRun)) {
            case CreateAccountResult.Created c -> {
                print(c.account().address(), c.password(), c.token().name(), false);
                handOver(c.account().address(), c.password());
                yield 0;
            }
            case CreateAccountResult.WouldCreate w -> {
                print(w.address(), w.password(), w.token().name(), true);
                yield 0;
            }
            case CreateAccountResult.TokenNotFound f ->
                throw new CliException("token '" + token + "' does not exist: see `mailadm list-tokens`");
            case CreateAccountResult.TokenNotValid v ->
                throw new CliException("token '" + v.token().name() + "' is "
                        + (v.validity() == org.mailadm.core.token.TokenPolicy.Validity.NOT_YET
                                ? "not valid yet (--valid-from "
                                        + v.token().policy().validFrom().orElseThrow() + ")"
                                : "no longer valid (--valid-until "
                                        + v.token().policy().validUntil().orElseThrow() + ")")
                        + ": change it with `mailadm mod-token " + v.token().name() + "`");
            case CreateAccountResult.TokenExhausted x ->
                throw new CliException("token '" + x.token().name() + "' has"
                        + " created " + x.token().useCount() + " of "
                        + x.token().maxUse() + " accounts: raise the limit with"
                        + " `mailadm mod-token " + x.token().name() + " --maxuse N`");
            case CreateAccountResult.AddressTaken x ->
                throw new CliException(x.address() + " exists already in "
                        + (x.where() == AccountCreation.Where.STORAGE ? "mailadm" : "mailcow"));
            case CreateAccountResult.ForeignDomain f ->
                throw new CliException(
                        "address " + f.address() + " does not use the mail domain '" + f.mailDomain() + "'");
            case CreateAccountResult.NoMatchingToken m ->
                throw new CliException("no token's prefix matches " + m.address() + ": name one with --token");
            case CreateAccountResult.ProviderRejected r ->
                throw new CliException(
                        r.reason() == CreateMailboxResult.Reason.QUOTA_ABOVE_MAXIMUM
                                ? "token '" + r.token().name() + "' asks for "
                                        + r.token().policy().quotaMiB()
                                        + " MiB per mailbox, more than mailcow allows (" + r.detail()
                                        + "): lower it with `mailadm mod-token "
                                        + r.token().name()
                                        + " --quota SIZE`, at most that maximum"
                                : "mailcow refused to create " + address + " ("
                                        + r.reason()
                                                .name()
                                                .toLowerCase(Locale.ROOT)
                                                .replace('_', ' ') + ": "
                                        + r.detail() + ")");
        };
    }

    /** The dclogin: QR code for the new account: printed, and written as a PNG with --qr-output. */
    private void handOver(EmailAddress address, Password pw) {
        if (!qr && qrOutput == null) {
            return;
        }
        String text = DcLogin.of(address, pw).text();
        if (qr && !json) {
            output.out().print(QrImages.terminal(text));
            output.out().println("Scan it in Delta Chat (Add Account > Scan QR code) to log in as " + address + ".");
        }
        if (qrOutput != null) {
            Path file = Path.of(qrOutput).toAbsolutePath().normalize();
            byte[] png = QrImages.png(text, List.of(address.toString(), "Delta Chat: scan to log in", "keep private"));
            try {
                Files.deleteIfExists(file);
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(file, png);
            } catch (IOException | UnsupportedOperationException e) {
                throw new CliException("the account was created, but the QR code could not be written to " + file + " ("
                        + e.getMessage() + "); print it with --qr instead of --qr-output");
            }
            if (!json) {
                output.out()
                        .println("QR code written to " + file
                                + " (it holds the password: hand it over, then delete it)");
            }
        }
    }

    private void print(EmailAddress address, Password pw, TokenName tokenName, boolean wouldCreate) {
        if (json) {
            ObjectNode o = output.mapper().createObjectNode();
            o.put("address", address.toString());
            o.put("password", pw.value());
            o.put("token", tokenName.value());
            o.put("dryrun", wouldCreate);
            if (!wouldCreate) {
                o.put("dclogin", DcLogin.of(address, pw).text());
            }
            output.printJson(o);
        } else if (wouldCreate) {
            output.out().println("Would create " + address + " with password " + pw.value());
        } else {
            output.out().println("Created " + address + " with password: " + pw.value());
        }
    }
}
