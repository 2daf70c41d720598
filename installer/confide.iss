; Inno Setup script: the Windows installer for Confide (Inno Setup 6.3 or later).
;
; Build on a Windows computer with Python 3.11, from the source folder:
;     py -3.11 -m venv .venv
;     .venv\Scripts\python -m pip install -e .[dist]
;     .venv\Scripts\pyinstaller installer\confide.spec --noconfirm --distpath dist --workpath build\pyinstaller
;     "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" installer\confide.iss
; which gives dist\confide-VERSION-setup.exe.
;
; The version is pyproject.toml's: its `[project]` table reads as an INI section, and
; `version = "0.1.0"` as a key whose quotes are dropped. `ISCC /DAppVersion=... ` overrides it.
;
; Installs for the person running it (no administrator needed) unless they choose all users.
; The uninstaller keeps Confide's data folder (%LOCALAPPDATA%\Confide: the encrypted database,
; its key file and the automatic safety copies) unless the person ticks the box asking for it
; to be removed, and confirms.

#define AppName "Confide"
#define AppExe "confide.exe"
#define DataFolder "{localappdata}\Confide"
#ifndef AppVersion
  #define AppVersion StringChange(ReadIni(AddBackslash(SourcePath) + "..\pyproject.toml", "project", "version", "0.0.0"), '"', '')
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6F2B9C41-8D7E-4A53-B0C6-1E93A57D2F08}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Confide
AppComments=Offline, encrypted call logging and case records for SEN advice services
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\LICENSE
SetupIconFile=..\resources\icons\confide.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=..\dist
OutputBaseFilename=confide-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running Confide is asked to close before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The one-folder bundle from installer\confide.spec: confide.exe, confide-cli.exe, _internal\.
Source: "..\dist\confide\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\LICENSE"; DestDir: "{app}"; DestName: "LICENSE.txt"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Confidential call and case records"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
var
  RemoveDataBox: TNewCheckBox;
  RemoveData: Boolean;

{ After copying the files: the installed copy's own self-test, so a computer where encryption
  cannot work is found now rather than on the first day of use. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep <> ssPostInstall then
    Exit;
  WizardForm.StatusLabel.Caption := 'Checking that encryption works on this computer...';
  if not Exec(ExpandConstant('{app}\confide-cli.exe'), 'self-test', '', SW_HIDE,
              ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
    MsgBox('Confide is installed, but its self-test did not pass on this computer. ' +
           'Before using it, open a Command Prompt and run:' + #13#10#13#10 +
           '"' + ExpandConstant('{app}\confide-cli.exe') + '" self-test' + #13#10#13#10 +
           'and give what it prints to whoever supports your computers.',
           mbError, MB_OK);
end;

{ Uninstalling: first a page that says the data stays, with a box to tick to remove it as
  well (confirmed once more); then the uninstaller's own "remove Confide?" question. }
function InitializeUninstall(): Boolean;
var
  Form: TSetupForm;
  Info, Warning: TNewStaticText;
  UninstallButton, CancelButton: TNewButton;
begin
  Result := True;
  RemoveData := False;
  if UninstallSilent() then
    Exit;
  Form := CreateCustomForm();
  try
    Form.Caption := 'Uninstall Confide';
    Form.ClientWidth := ScaleX(440);
    Form.ClientHeight := ScaleY(190);

    Info := TNewStaticText.Create(Form);
    Info.Parent := Form;
    Info.Left := ScaleX(16);
    Info.Top := ScaleY(16);
    Info.Width := Form.ClientWidth - ScaleX(32);
    Info.Height := ScaleY(80);
    Info.AutoSize := False;
    Info.WordWrap := True;
    Info.Caption :=
      'Confide will be removed from this computer. Its data folder (' +
      ExpandConstant('{#DataFolder}') + '), with the encrypted database of calls and cases, ' +
      'is kept, so that installing Confide again, or a newer version, carries on where you ' +
      'left off.';

    RemoveDataBox := TNewCheckBox.Create(Form);
    RemoveDataBox.Parent := Form;
    RemoveDataBox.Left := ScaleX(16);
    RemoveDataBox.Top := Info.Top + Info.Height + ScaleY(4);
    RemoveDataBox.Width := Form.ClientWidth - ScaleX(32);
    RemoveDataBox.Height := ScaleY(17);
    RemoveDataBox.Caption := '&Also delete the data folder and every record in it';
    RemoveDataBox.Checked := False;

    Warning := TNewStaticText.Create(Form);
    Warning.Parent := Form;
    Warning.Left := ScaleX(34);
    Warning.Top := RemoveDataBox.Top + RemoveDataBox.Height + ScaleY(2);
    Warning.Caption := 'Make a backup first: this cannot be undone.';

    UninstallButton := TNewButton.Create(Form);
    UninstallButton.Parent := Form;
    UninstallButton.Caption := '&Continue';
    UninstallButton.Width := ScaleX(90);
    UninstallButton.Height := ScaleY(25);
    UninstallButton.Left := Form.ClientWidth - ScaleX(16 + 90 + 8 + 90);
    UninstallButton.Top := Form.ClientHeight - ScaleY(16 + 25);
    UninstallButton.ModalResult := mrOk;

    CancelButton := TNewButton.Create(Form);
    CancelButton.Parent := Form;
    CancelButton.Caption := 'Cancel';
    CancelButton.Width := ScaleX(90);
    CancelButton.Height := ScaleY(25);
    CancelButton.Left := Form.ClientWidth - ScaleX(16 + 90);
    CancelButton.Top := UninstallButton.Top;
    CancelButton.ModalResult := mrCancel;
    CancelButton.Cancel := True;
    CancelButton.Default := True;

    Form.ActiveControl := CancelButton;
    Result := Form.ShowModal() = mrOk;
    RemoveData := Result and RemoveDataBox.Checked;
  finally
    Form.Free();
  end;
  if RemoveData then
    RemoveData := MsgBox('Delete every call, case and safety copy in ' +
                         ExpandConstant('{#DataFolder}') + '?' + #13#10#13#10 +
                         'Only backups kept elsewhere will be left. This cannot be undone.',
                         mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { Only this Windows account's data folder: each account has its own. }
  if (CurUninstallStep = usPostUninstall) and RemoveData then
    DelTree(ExpandConstant('{#DataFolder}'), True, True, True);
end;
