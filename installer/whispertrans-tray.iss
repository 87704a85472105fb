; Inno Setup 6 script: the Windows installer of WhisperTrans Tray.
;
; It packs the one-folder bundle that installer/whispertrans-tray.spec writes to
; dist\WhisperTrans Tray\ (build that first; installer\README.md has the exact commands):
;
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\whispertrans-tray.iss
;
; (on Linux, under Wine: bash scripts/windows-installer.sh).  Optional defines:
;   /DBundle=FOLDER      the bundle to pack (default ..\dist\WhisperTrans Tray)
;   /DFastCompression    no compression instead of lzma2/max, for test builds (the release
;                        keeps max): compressing ~460 MiB took minutes on 2 cores
;
; Installs for the current user (no admin rights; an admin may choose all users), adds a
; Start-menu entry, optionally a desktop icon and start on login (the same Run value the app's
; own "Start on login" toggle writes: desktop\autostart\windows.py), and starts the app.
; Uninstalling removes the app and its start on login, and keeps the user's settings, history
; and API key unless the user says to remove them (silent: /PURGE=1).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "WhisperTrans Tray"
#define AppExe "WhisperTrans Tray.exe"
#ifndef Bundle
  #define Bundle "..\dist\WhisperTrans Tray"
#endif

[Setup]
AppId={{6B1E2A4C-9D1F-4E57-8B0A-3C2F51D7A9E4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=WhisperTrans Tray developers
; {autopf}: Program Files for all users, the user's own Programs folder otherwise (see ProgramsRoot)
DefaultDirName={code:ProgramsRoot}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\LICENSE
SetupIconFile=..\assets\icon.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist
OutputBaseFilename=WhisperTrans-Tray-{#AppVersion}-setup
#ifdef FastCompression
Compression=none
#else
Compression=lzma2/max
SolidCompression=yes
#endif
WizardStyle=modern
; a running copy is closed (Restart Manager) before its files are replaced or removed
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.StartOnLogin=Start WhisperTrans Tray when I log in
en.RemoveUserData=Also remove your WhisperTrans Tray settings, subtitle history, logs, model cache and saved API key?%n%nChoose No to keep them for a later install.%n%n

[Tasks]
Name: "startonlogin"; Description: "{cm:StartOnLogin}"; Flags: unchecked
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Live bilingual subtitles"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The value the app's "Start on login" menu item reads and writes (HKCU, so no admin rights).
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExe}"""; Tasks: startonlogin; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM ""{#AppExe}"""; Flags: runhidden; RunOnceId: "StopApp"

[Code]
// The folder the app's folder goes in: {autopf}, which is {commonpf} (Program Files) when
// installing for all users and {userpf} when installing for the current user only.  {userpf}
// is the known folder FOLDERID_UserProgramFiles, by default %LOCALAPPDATA%\Programs.  Wine 8
// does not implement that known folder (SHGetKnownFolderPath answers E_INVALIDARG; its shell32
// lists it as a FIXME), so Setup cannot expand {userpf} there ("Failed to expand shell folder
// constant"): only then is Windows' default for it used instead.
function ProgramsRoot(Param: String): String;
begin
  try
    Result := ExpandConstant('{autopf}');
  except
    Result := ExpandConstant('{localappdata}\Programs');
    Log('{autopf} cannot be expanded here (' + GetExceptionMessage + '): using ' + Result);
  end;
end;

const
  RunKey = 'Software\Microsoft\Windows\CurrentVersion\Run';
  ApprovedKey = 'Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run';

{ Start on login may have been turned on from the app's menu, not by this installer. }
procedure RemoveStartOnLogin();
begin
  RegDeleteValue(HKEY_CURRENT_USER, RunKey, '{#AppName}');
  RegDeleteValue(HKEY_CURRENT_USER, ApprovedKey, '{#AppName}');
end;

{ settings.json, history\, Logs\, Cache\ (platformdirs) and the API key in the Credential
  Manager (keyring). }
procedure RemoveUserData();
var
  Folder: String;
  Code: Integer;
begin
  Folder := ExpandConstant('{localappdata}\{#AppName}');
  DelTree(Folder, True, True, True);
  Exec(ExpandConstant('{sys}\cmdkey.exe'), '/delete:"{#AppName}"', '', SW_HIDE,
       ewWaitUntilTerminated, Code);
  Exec(ExpandConstant('{sys}\cmdkey.exe'), '/delete:"api_key@{#AppName}"', '', SW_HIDE,
       ewWaitUntilTerminated, Code);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    RemoveStartOnLogin();
    Folder := ExpandConstant('{localappdata}\{#AppName}');
    if UninstallSilent then
    begin
      if ExpandConstant('{param:PURGE|0}') = '1' then
        RemoveUserData();
    end
    else if DirExists(Folder) and
       (MsgBox(CustomMessage('RemoveUserData') + Folder, mbConfirmation,
               MB_YESNO or MB_DEFBUTTON2) = IDYES) then
      RemoveUserData();
  end;
end;
